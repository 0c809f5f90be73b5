package org.cloudkeep.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Two sample cloud-drive accounts on the local disk, the same on every run (seeded pseudo-random content): photos
 * (large files, a few empty) and documents (small files in nested folders, names that no file system likes).
 */
final class SampleAccounts {

    static final long SEED = 20_260_505L;

    /** The names in documents that a backup folder cannot take as they are, and why each is there. */
    static final List<String> AWKWARD = awkwardNames();

    private SampleAccounts() {}

    /** What one account holds: provider path -> size. */
    record Account(String name, Path root, Map<String, Long> files) {

        long bytes() {
            return files.values().stream().mapToLong(Long::longValue).sum();
        }

        long empty() {
            return files.values().stream().filter(size -> size == 0).count();
        }
    }

    static Account photos(Path root) throws IOException {
        Random random = new Random(SEED);
        String[] folders = {
            "2023/spring", "2023/summer", "2023/summer/beach", "2024/winter", "2024/travel/lisbon", "camera-roll"
        };
        Map<String, Long> files = new LinkedHashMap<>();
        for (int i = 1; i <= 120; i++) {
            String folder = folders[random.nextInt(folders.length)];
            String name = String.format(Locale.ROOT, "IMG_%04d.%s", 1000 + i, i % 9 == 0 ? "png" : "jpg");
            // A few empty files, as an interrupted camera upload leaves them, and some thumbnails.
            long size = i % 40 == 17
                    ? 0
                    : i % 10 == 3 ? logUniform(random, 5_000, 20_000) : logUniform(random, 20_000, 3_000_000);
            files.put("/" + folder + "/" + name, size);
        }
        return write("photos", root, files);
    }

    static Account documents(Path root) throws IOException {
        Random random = new Random(SEED + 1);
        String[] folders = {
            "work",
            "work/reports/2023",
            "work/reports/2024",
            "work/invoices",
            "work/meetings",
            "personal/letters",
            "personal/recipes",
            "personal/taxes/2022",
            "personal/taxes/2023",
            "school/notes",
            "school/papers/drafts",
            "archive/old/deep/deeper/deepest"
        };
        String[] kinds = {"txt", "md", "pdf", "odt", "csv"};
        Map<String, Long> files = new LinkedHashMap<>();
        for (String name : AWKWARD) {
            files.put("/" + name, logUniform(random, 100, 20_000));
        }
        for (int i = 1; files.size() < 250; i++) {
            String folder = folders[random.nextInt(folders.length)];
            String kind = kinds[random.nextInt(kinds.length)];
            String name = String.format(Locale.ROOT, "%s-%03d.%s", folder.replaceAll(".*/", ""), i, kind);
            files.put("/" + folder + "/" + name, logUniform(random, 100, 200_000));
        }
        return write("documents", root, files);
    }

    /**
     * Names that a backup folder cannot take as they are: spaces, one name in NFC and in NFD (two files), emoji, a
     * leading dash, a 200-byte name, the device's own encoding prefix and folder name, a backslash, control characters.
     * Paths relative to the account's root.
     */
    private static List<String> awkwardNames() {
        String unicode = "\u00fcn\u00efc\u00f6d\u00e9.txt"; // ünïcödé.txt
        String nfc = Normalizer.normalize(unicode, Normalizer.Form.NFC);
        String nfd = Normalizer.normalize(unicode, Normalizer.Form.NFD);
        String longName = "long-name-" + "\u00fc".repeat(93) + ".txt"; // 10 + 186 + 4 = 200 bytes
        if (longName.getBytes(StandardCharsets.UTF_8).length != 200 || nfc.equals(nfd)) {
            throw new AssertionError("the awkward names are not what they should be");
        }
        return List.of(
                "meeting notes (final) v2.txt",
                nfc,
                nfd,
                "\ud83d\udcf7 holiday plans \ud83c\udf89.txt", // 📷 … 🎉
                "-draft.txt",
                "work/" + longName,
                "~ck~not-an-encoded-name.txt",
                ".cloudkeep-versions/keep-me.txt",
                "back\\slash.txt",
                "tab\there.txt",
                "new\nline.txt",
                "what? \"quoted\" *starred*: yes.txt");
    }

    /**
     * Changes the documents account: 3 files get new content, 5 are added, 4 are deleted.
     *
     * @return what was done, with the SHA-256 of each changed or deleted file's content before
     */
    static Changes change(Account documents) throws IOException {
        List<String> regular = new ArrayList<>();
        for (String path : documents.files().keySet()) {
            if (path.matches("/[a-z]+(/[a-z0-9]+)*/[a-z0-9]+-\\d{3}\\.[a-z]+")
                    && documents.files().get(path) > 0) {
                regular.add(path);
            }
        }
        Map<String, String> changed = new LinkedHashMap<>();
        Map<String, String> deleted = new LinkedHashMap<>();
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String path = regular.get(10 + 60 * i);
            Path file = file(documents.root(), path);
            changed.put(path, sha256(file));
            long size = Files.size(file) + 1_000 + 777L * i;
            content(file, size, SEED + 100 + i);
            documents.files().put(path, size);
        }
        for (int i = 0; i < 4; i++) {
            String path = regular.get(35 + 50 * i);
            Path file = file(documents.root(), path);
            deleted.put(path, sha256(file));
            Files.delete(file);
            documents.files().remove(path);
        }
        String[] places = {"work/meetings", "work/invoices", "personal/letters", "school/notes", "work"};
        for (int i = 0; i < 5; i++) {
            String path = "/" + places[i] + "/new since the first backup " + (i + 1) + ".txt";
            long size = 2_000 + 3_333L * i;
            content(file(documents.root(), path), size, SEED + 200 + i);
            documents.files().put(path, size);
            added.add(path);
        }
        return new Changes(changed, added, deleted);
    }

    /** What {@link #change} did: changed and deleted paths map to the SHA-256 of their content before. */
    record Changes(Map<String, String> changed, List<String> added, Map<String, String> deleted) {}

    /** The local file of a provider path. */
    static Path file(Path root, String path) {
        Path file = root;
        for (String name : path.substring(1).split("/")) {
            file = file.resolve(name);
        }
        return file;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Account write(String name, Path root, Map<String, Long> files) throws IOException {
        Files.createDirectories(root);
        long seed = SEED;
        for (Map.Entry<String, Long> entry : files.entrySet()) {
            content(file(root, entry.getKey()), entry.getValue(), seed++);
        }
        return new Account(name, root, files);
    }

    private static void content(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(buffer.length, left);
                random.nextBytes(buffer);
                out.write(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** A size between min and max, small ones more likely, as on a real drive. */
    private static long logUniform(Random random, long min, long max) {
        return Math.round(Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min))));
    }
}
