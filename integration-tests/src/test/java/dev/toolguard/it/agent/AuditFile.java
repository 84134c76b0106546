package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The audit log a scenario's app wrote, read back as JSON records. */
public final class AuditFile {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditFile() {
    }

    /** Every complete record in the file (a line torn by a kill is skipped). */
    public static List<JsonNode> records(Path file) {
        return parse(file, "");
    }

    /** Parses the lines that contain {@code marker}: logs of busy scenarios are large, and most lines are not wanted. */
    private static List<JsonNode> parse(Path file, String marker) {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || !line.contains(marker)) {
                    continue;
                }
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException torn) {
                    // a line cut by SIGKILL mid-write is not a record
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static List<JsonNode> ofType(Path file, String type) {
        return parse(file, "\"type\":\"" + type + "\"").stream().filter(r -> type.equals(r.path("type").asText())).toList();
    }
}
