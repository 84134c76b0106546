package dev.toolguard.it.agent;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** One scenario's directory: its config, policies, audit log and the app's captured output. */
public final class Scenario {

    public final Path dir;

    public Scenario(Path dir) {
        this.dir = dir;
    }

    /** The JVM the apps run on: {@code toolguard.it.java}, else this one. Skips when it is not installed. */
    public static Path java() {
        String configured = System.getProperty("toolguard.it.java");
        Path java = configured == null || configured.isBlank() ? AgentProcess.JAVA_17 : Path.of(configured);
        Assumptions.assumeTrue(Files.isExecutable(java), "no JVM at " + java);
        return java;
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    public Path audit() {
        return dir.resolve("audit.jsonl");
    }

    /** Copies a policy from the test resources into {@code policies/}. */
    public Path policy(String resource) throws IOException {
        Path target = dir.resolve("policies").resolve(resource);
        Files.createDirectories(target.getParent());
        try (InputStream in = Scenario.class.getResourceAsStream("/it-policies/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test policy " + resource);
            }
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    public Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        // a rename, so a poller never reads half a file
        Files.move(tmp, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return p;
    }

    /** A toolguard.yaml with the policies directory, the audit file and whatever else is given. */
    public Path config(String extra) throws IOException {
        return write("toolguard.yaml", """
                policy:
                  sources: [policies/]
                  reload: 200ms
                audit:
                  file: audit.jsonl
                """ + extra);
    }

    public AgentProcess.Builder app() {
        return AgentProcess.in(dir).java(java());
    }
}
