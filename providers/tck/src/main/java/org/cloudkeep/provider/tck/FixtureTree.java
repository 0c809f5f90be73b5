package org.cloudkeep.provider.tck;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The tree every provider is tested on: the names and shapes that break adapters. Files are
 * small and their content is derived from their path, except {@link #BIG}, which crosses a 4 MiB
 * block boundary (Dropbox hashes in 4 MiB blocks).
 */
final class FixtureTree {

    static final String NFC = "caf\u00e9.txt";
    static final String NFD = "cafe\u0301.txt";
    static final String LONG_NAME = "a".repeat(251) + ".txt"; // 255 bytes in UTF-8
    static final int MANY = 10_000;
    static final int DEPTH = 10;
    static final String BIG = "big.bin";
    static final int BIG_SIZE = 5 * 1024 * 1024 + 3;

    private final String root;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final Set<String> folders = new LinkedHashSet<>();

    FixtureTree(String root) {
        this.root = root;
        folders.add(root);
        file("plain.txt");
        file("with space/file name.txt");
        file("nfc/" + NFC);
        file("nfd/" + NFD);
        file("\u4e2d\u6587/\u6587\u4ef6.txt");
        file("emoji/\ud83d\ude00 smile.txt");
        file("long/" + LONG_NAME);
        file("case1/Readme.md");
        file("case2/README.md");
        files.put(path("empty.bin"), new byte[0]);
        folders.add(path("empty-folder"));
        StringBuilder deep = new StringBuilder("deep");
        for (int level = 1; level <= DEPTH; level++) {
            deep.append("/d").append(level);
        }
        file(deep + "/leaf.txt");
        for (int i = 0; i < MANY; i++) {
            file(String.format("many/f%05d.txt", i));
        }
        byte[] big = new byte[BIG_SIZE];
        new Random(42).nextBytes(big);
        files.put(path(BIG), big);
    }

    String path(String relative) {
        return root + "/" + relative;
    }

    /** Every file, by provider path. */
    Map<String, byte[]> files() {
        return files;
    }

    /** Every folder, the root included. */
    Set<String> folders() {
        return folders;
    }

    /** Writes the whole tree; the many small files from several threads. */
    void writeTo(FixtureWriter writer) throws Exception {
        for (String folder : folders) {
            writer.mkdirs(folder);
        }
        List<Map.Entry<String, byte[]>> many = new ArrayList<>();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (file.getKey().startsWith(path("many/"))) {
                many.add(file);
            } else {
                writer.write(file.getKey(), file.getValue());
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (Map.Entry<String, byte[]> file : many) {
                writes.add(pool.submit(() -> {
                    writer.write(file.getKey(), file.getValue());
                    return null;
                }));
            }
            for (Future<?> write : writes) {
                write.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A file whose content names it, so a mixed-up read shows which file it came from. */
    private void file(String relative) {
        String path = path(relative);
        files.put(path, ("content of " + path + "\n").getBytes(StandardCharsets.UTF_8));
        for (int slash = path.lastIndexOf('/'); slash > root.length(); slash = path.lastIndexOf('/', slash - 1)) {
            folders.add(path.substring(0, slash));
        }
    }
}
