package org.cloudkeep.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One container's folder on the device, read the way a person restoring files would: every file at its provider path
 * (without the leading {@code /}), except those whose names the device had to encode, which {@value #MANIFEST}
 * lists, one JSON object a line: {@code {"path": "/original/provider/path", "storedAs": "relative/stored/path"}}.
 */
final class BackupFolder {

    static final String MANIFEST = ".cloudkeep-renamed.jsonl";
    static final String VERSIONS = ".cloudkeep-versions";
    private static final Pattern STAMP = Pattern.compile("~\\d{4}-\\d{2}-\\d{2}T\\d{6}Z(-\\d+)?");

    private final Path folder;
    private final Map<String, String> renamed = new HashMap<>();

    private BackupFolder(Path folder) {
        this.folder = folder;
    }

    /** Reads the folder's manifest of encoded names, if it has one. */
    static BackupFolder read(Path folder) {
        BackupFolder backup = new BackupFolder(folder);
        Path manifest = folder.resolve(MANIFEST);
        if (Files.isRegularFile(manifest)) {
            try {
                for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode entry = Http.JSON.readTree(line);
                    if (entry.hasNonNull("path") && entry.hasNonNull("storedAs")) {
                        // A later line for the same path wins.
                        backup.renamed.put(
                                entry.get("path").asText(),
                                entry.get("storedAs").asText());
                    }
                }
            } catch (IOException e) {
                throw new DemoFailure("cannot read " + manifest + ": " + e.getMessage(), e);
            }
        }
        return backup;
    }

    Path folder() {
        return folder;
    }

    /** How many paths the manifest lists. */
    int renamedCount() {
        return renamed.size();
    }

    /**
     * The path a provider path is stored under, relative to the folder. Resolved name by name, so that both a listed
     * file and a file inside a listed folder are found.
     */
    String storedAs(String path) {
        StringBuilder prefix = new StringBuilder();
        String stored = "";
        for (String name : path.substring(1).split("/")) {
            prefix.append('/').append(name);
            String listed = renamed.get(prefix.toString());
            stored = listed != null ? strip(listed) : stored.isEmpty() ? name : stored + "/" + name;
        }
        return stored;
    }

    Path file(String path) {
        Path file = folder;
        for (String name : storedAs(path).split("/")) {
            file = file.resolve(name);
        }
        return file;
    }

    /** What a comparison of a whole account with its backup found. */
    record Verified(long files, long bytes, int renamed) {}

    /**
     * Compares every file of the source folder with its copy, byte for byte.
     *
     * @throws DemoFailure naming the files that are missing or different
     */
    Verified verify(Path source) {
        List<String> problems = new ArrayList<>();
        long files = 0;
        long bytes = 0;
        int renamedSeen = 0;
        List<Path> sources;
        try (Stream<Path> walk = Files.walk(source)) {
            sources = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new DemoFailure("cannot list " + source + ": " + e.getMessage(), e);
        }
        for (Path file : sources) {
            String path = providerPath(source, file);
            String stored = storedAs(path);
            if (!stored.equals(path.substring(1))) {
                renamedSeen++;
            }
            String first = stored.split("/")[0];
            if (first.equals(VERSIONS) || first.equals(MANIFEST)) {
                problems.add(Text.quoted(path) + " is stored inside the device's own " + Text.quoted(first));
            }
            Path copy = file(path);
            try {
                if (!Files.isRegularFile(copy)) {
                    problems.add(Text.quoted(path) + " is missing (expected at " + Text.quoted(stored) + ")");
                } else if (!sameContent(file, copy)) {
                    problems.add(Text.quoted(path) + " differs from its copy " + Text.quoted(stored));
                } else {
                    files++;
                    bytes += Files.size(file);
                }
            } catch (IOException e) {
                problems.add(Text.quoted(path) + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new DemoFailure("the backup of " + source + " is not identical to it, " + problems.size() + " of "
                    + sources.size() + " files:\n    "
                    + String.join("\n    ", problems.subList(0, Math.min(20, problems.size())))
                    + (problems.size() > 20 ? "\n    ..." : ""));
        }
        return new Verified(files, bytes, renamedSeen);
    }

    /**
     * The earlier copies of a file the device kept when it fetched a newer one:
     * {@code .cloudkeep-versions/<stored parent>/<name>~<yyyy-MM-dd'T'HHmmss'Z'>}.
     */
    List<Path> versions(String path) {
        String stored = storedAs(path);
        int slash = stored.lastIndexOf('/');
        Path dir = folder.resolve(VERSIONS);
        if (slash > 0) {
            for (String name : stored.substring(0, slash).split("/")) {
                dir = dir.resolve(name);
            }
        }
        String name = stored.substring(slash + 1);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith(name + "~")
                                && STAMP.matcher(n.substring(name.length())).matches();
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new DemoFailure("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    static String providerPath(Path root, Path file) {
        StringBuilder path = new StringBuilder();
        for (Path name : root.relativize(file)) {
            path.append('/').append(name);
        }
        return path.toString();
    }

    private static String strip(String stored) {
        return stored.startsWith("/") ? stored.substring(1) : stored;
    }

    private static boolean sameContent(Path a, Path b) throws IOException {
        if (Files.size(a) != Files.size(b)) {
            return false;
        }
        try (InputStream x = Files.newInputStream(a);
                InputStream y = Files.newInputStream(b)) {
            byte[] bx = new byte[1 << 16];
            byte[] by = new byte[1 << 16];
            while (true) {
                int n = x.readNBytes(bx, 0, bx.length);
                int m = y.readNBytes(by, 0, by.length);
                if (n != m || !java.util.Arrays.equals(bx, 0, n, by, 0, m)) {
                    return false;
                }
                if (n == 0) {
                    return true;
                }
            }
        }
    }
}
