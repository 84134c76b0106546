package dev.toolguard.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a secret is read from: an environment variable or a file, never the config file itself. The config
 * holds only this, so that printing a config never prints a secret; the secret is read when it is needed.
 *
 * @param env  the environment variable holding it, or null
 * @param file the file holding it (a trailing line break is not part of it), or null
 */
public record SecretSource(String env, Path file) {

    /** The secret, or an exception whose message says why not, naming the variable or file, never the secret. */
    public String read(Map<String, String> environment) throws IOException {
        String value;
        if (env != null) {
            value = environment.get(env);
            if (value == null || value.isBlank()) {
                throw new IOException("environment variable " + env + " is not set");
            }
        } else {
            try {
                value = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot read the file " + file + " (" + e.getClass().getSimpleName() + ")", e);
            }
            if (value.isBlank()) {
                throw new IOException("the file " + file + " is empty");
            }
        }
        return value.strip();
    }

    @Override
    public String toString() {
        return env != null ? "environment variable " + env : "file " + file;
    }
}
