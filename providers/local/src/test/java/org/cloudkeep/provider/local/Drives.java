package org.cloudkeep.provider.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;

/** Helpers the tests share: connecting, listing every page, reading, and an independent SHA-256. */
final class Drives {

    private Drives() {}

    static ProviderSession connect(Path root) throws ProviderException {
        return new LocalFolderProvider().connect(Map.of(LocalFolderProvider.ROOT_FIELD, root.toString()));
    }

    /** Every page of a listing, in order; fails rather than loop if the tokens never end. */
    static List<EntryPage> pages(ProviderSession session, String folder) throws ProviderException {
        List<EntryPage> pages = new ArrayList<>();
        String token = null;
        do {
            EntryPage page = session.list(folder, token);
            pages.add(page);
            token = page.nextPageToken();
            assertTrue(pages.size() < 10_000, "the listing of " + folder + " never ends");
        } while (token != null);
        return pages;
    }

    static List<Entry> listAll(ProviderSession session, String folder) throws ProviderException {
        List<Entry> entries = new ArrayList<>();
        for (EntryPage page : pages(session, folder)) {
            entries.addAll(page.entries());
        }
        return entries;
    }

    static List<String> names(List<Entry> entries) {
        return entries.stream().map(Entry::name).toList();
    }

    static byte[] read(ProviderSession session, String path, long offset) throws ProviderException, IOException {
        try (InputStream in = session.open(path, offset)) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
