package org.cloudkeep.itests.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** Source trees for the tests, and the checks a user would make on the backup. */
final class Trees {

    static final String MANIFEST = ".cloudkeep-renamed.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Trees() {}

    static byte[] bytes(long seed, int size) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static Path write(Path root, String relative, byte[] content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return file;
    }

    /** A tree of {@code files} files of mixed sizes (0 B to {@code maxSize}) in nested folders. */
    static Path mixed(Path root, long seed, int files, int maxSize) throws IOException {
        Random random = new Random(seed);
        for (int i = 0; i < files; i++) {
            int size = i == 0 ? 0 : random.nextInt(maxSize);
            String folder = "d" + (i % 4) + (i % 3 == 0 ? "/sub" + (i % 2) : "");
            write(root, folder + "/file-" + i + ".bin", bytes(seed * 1000 + i, size));
        }
        return root;
    }

    /** Every source file, by its provider path ("/a/b"). */
    static List<Path> files(Path source) throws IOException {
        try (Stream<Path> walk = Files.walk(source)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Stored path (relative to the container folder) by provider path, from the device's manifest. */
    static Map<String, String> renamed(Path containerFolder) throws IOException {
        Map<String, String> renamed = new HashMap<>();
        Path manifest = containerFolder.resolve(MANIFEST);
        if (Files.exists(manifest)) {
            for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    JsonNode record = JSON.readTree(line);
                    renamed.put(
                            record.get("path").asText(), record.get("storedAs").asText());
                }
            }
        }
        return renamed;
    }

    /** Where the backup holds a source file. */
    static Path backupOf(Path source, Path file, Path containerFolder, Map<String, String> renamed) {
        String relative = source.relativize(file).toString();
        String stored = renamed.getOrDefault("/" + relative, relative);
        return containerFolder.resolve(stored);
    }

    /** Every source file is in the backup with the same bytes; answers how many files were compared. */
    static int assertSameFiles(Path source, Path containerFolder) throws IOException {
        Map<String, String> renamed = renamed(containerFolder);
        List<Path> files = files(source);
        for (Path file : files) {
            Path copy = backupOf(source, file, containerFolder, renamed);
            assertTrue(Files.isRegularFile(copy), "missing in the backup: " + copy + " (from " + file + ")");
            assertEquals(-1, Files.mismatch(file, copy), "different bytes: " + copy);
        }
        return files.size();
    }

    /** Staging files left anywhere under a folder. */
    static List<Path> partials(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(".cloudkeep-part-"))
                    .toList();
        }
    }
}
