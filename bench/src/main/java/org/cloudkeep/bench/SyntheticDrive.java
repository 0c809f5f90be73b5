package org.cloudkeep.bench;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cloudkeep.api.Capability;
import org.cloudkeep.api.CloudDriveProvider;
import org.cloudkeep.api.ContentHash;
import org.cloudkeep.api.CredentialField;
import org.cloudkeep.api.Entry;
import org.cloudkeep.api.EntryPage;
import org.cloudkeep.api.EntryPaths;
import org.cloudkeep.api.NotFoundException;
import org.cloudkeep.api.ProviderDescriptor;
import org.cloudkeep.api.ProviderException;
import org.cloudkeep.api.ProviderSession;

/**
 * A drive computed on the fly, for benchmarks: {@code folders} folders of {@code filesPerFolder}
 * files, nothing held in memory. Its {@code generation} credential changes some of it the way a
 * day of use would: in generation g ≥ 1, file i of a folder is changed when i % 100 == g, one in a
 * hundred is deleted (i % 100 == 50 + g) and each folder gains one new file.
 */
final class SyntheticDrive implements CloudDriveProvider {

    static final String ID = "synthetic";
    private static final int PAGE = 1000;
    private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    private final int folders;
    private final int filesPerFolder;

    SyntheticDrive(int folders, int filesPerFolder) {
        this.folders = folders;
        this.filesPerFolder = filesPerFolder;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return new ProviderDescriptor(
                ID,
                "Synthetic drive",
                List.of(new CredentialField("generation", "Generation", false)),
                List.of(ContentHash.SHA256),
                Set.of(Capability.RANGED_READS));
    }

    @Override
    public ProviderSession connect(Map<String, String> credentials) {
        return new Session(Integer.parseInt(credentials.getOrDefault("generation", "0")));
    }

    private final class Session implements ProviderSession {

        private final int generation;

        Session(int generation) {
            this.generation = generation;
        }

        @Override
        public EntryPage list(String folder, String pageToken) throws ProviderException {
            int start = pageToken == null ? 0 : Integer.parseInt(pageToken);
            List<Entry> page = new ArrayList<>(PAGE);
            if (folder.equals(EntryPaths.ROOT)) {
                for (int f = start; f < folders && page.size() < PAGE; f++) {
                    page.add(Entry.folder("/d" + f, BASE));
                }
                int next = start + page.size();
                return new EntryPage(page, next < folders ? String.valueOf(next) : null);
            }
            int f = folderIndex(folder);
            int count = filesPerFolder + (generation > 0 ? 1 : 0);
            int i = start;
            for (; i < count && page.size() < PAGE; i++) {
                Entry file = file(f, i);
                if (file != null) {
                    page.add(file);
                }
            }
            return new EntryPage(page, i < count ? String.valueOf(i) : null);
        }

        /** File i of folder f in this generation, or null when it was deleted. */
        private Entry file(int f, int i) {
            if (generation > 0 && i % 100 == 50 + generation) {
                return null;
            }
            int version = generation > 0 && i % 100 == generation ? generation : 0;
            long size = 1000 + (i * 37L + f) % 100_000 + version;
            String hash = String.format("%016x%016x%016x%016x", f, i, version, size);
            return Entry.file(
                    "/d" + f + "/f" + i, size, BASE.plusSeconds(version), new ContentHash(ContentHash.SHA256, hash));
        }

        private int folderIndex(String folder) throws NotFoundException {
            try {
                int f = Integer.parseInt(folder.substring(2));
                if (folder.startsWith("/d") && f >= 0 && f < folders) {
                    return f;
                }
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                // falls through to not found
            }
            throw new NotFoundException("no folder " + folder);
        }

        @Override
        public Entry stat(String path) throws ProviderException {
            if (path.equals(EntryPaths.ROOT)) {
                return Entry.folder(EntryPaths.ROOT, BASE);
            }
            return Entry.folder(path, BASE);
        }

        @Override
        public InputStream open(String path, long offset) {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public void close() {}
    }
}
