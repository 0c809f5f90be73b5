package org.cloudkeep.backupfolder.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * {@code .cloudkeep-renamed.jsonl}: one {@code {"path":...,"storedAs":...}} line per provider path
 * stored under an encoded name, so that every stored name can be read back, the shortened ones too.
 */
public final class Manifest {

    public static final String FILE = ".cloudkeep-renamed.jsonl";

    private final Path file;
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectWriter writer = json.writer(new SurrogateEscapes());
    private Set<String> recorded; // loaded on first use
    private boolean endsMidLine; // a crash cut the last line short

    public Manifest(Path containerFolder) {
        this.file = containerFolder.resolve(FILE);
    }

    /** Appends the line and forces it to disk, unless the path is already recorded. */
    public synchronized void record(String providerPath, String storedAs) throws IOException {
        if (recorded == null) {
            load();
        }
        if (recorded.contains(providerPath)) {
            return;
        }
        ObjectNode line = json.createObjectNode().put("path", providerPath).put("storedAs", storedAs);
        String text = (endsMidLine ? "\n" : "") + writer.writeValueAsString(line) + "\n";
        boolean created = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        try (FileChannel channel = FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
        if (created) {
            Fs.forceFolder(file.getParent());
        }
        endsMidLine = false;
        recorded.add(providerPath);
    }

    private void load() throws IOException {
        Set<String> paths = new HashSet<>();
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), StandardCharsets.UTF_8))) {
                String text;
                while ((text = in.readLine()) != null) {
                    String path = pathOf(text);
                    if (path != null) {
                        paths.add(path);
                    }
                }
            }
            endsMidLine = !endsWithNewline();
        }
        recorded = paths;
    }

    /** The line's path; null for a line a crash cut short, which is simply recorded again. */
    private String pathOf(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(line);
            JsonNode path = node == null ? null : node.get("path");
            return path != null && path.isTextual() ? path.asText() : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private boolean endsWithNewline() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = channel.size();
            if (size == 0) {
                return true;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, size - 1);
            return last.get(0) == '\n';
        }
    }
}
