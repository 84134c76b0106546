package dev.toolguard.agent.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** The config tests' one way to read a {@code toolguard.yaml}: written to {@code dir}, resolved with no overrides. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    static ConfigResolver.Result resolve(Path dir, String yaml) throws IOException {
        Path file = Files.writeString(dir.resolve("toolguard.yaml"), yaml);
        return ConfigResolver.resolve("config=" + file, new Properties(), Map.of(), dir);
    }
}
