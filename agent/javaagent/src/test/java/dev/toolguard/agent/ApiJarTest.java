package dev.toolguard.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API jar goes onto the bootstrap class path of every JVM the agent runs in: a jar someone else left under
 * the expected name, or in a directory others may write to, must never be the one used.
 */
class ApiJarTest {

    @TempDir
    Path tmp;

    private static final Map<String, String> API = Map.of(
            "dev/toolguard/api/internal/GuardBridge.class", "the real bridge",
            "dev/toolguard/api/ToolGuard.class", "the real context API");

    private Path jar(Path file, Map<String, String> entries) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("dev/toolguard/agent/AgentMain.class"));
            out.write("not part of the API".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return file;
    }

    private static String entry(Path jar, String name) throws IOException {
        try (JarFile j = new JarFile(jar.toFile())) {
            JarEntry e = j.getJarEntry(name);
            return e == null ? null : new String(j.getInputStream(e).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path apiJar() throws IOException {
        Path agent = jar(tmp.resolve("toolguard-agent.jar"), API);
        try (JarFile agentJar = new JarFile(agent.toFile())) {
            return ApiJar.of(agentJar, tmp, "alice");
        }
    }

    @Test
    void theApiJarHoldsTheApiClassesAloneInAnOwnerOnlyDirectoryAndIsReused() throws IOException {
        Path first = apiJar();

        assertThat(entry(first, "dev/toolguard/api/internal/GuardBridge.class")).isEqualTo("the real bridge");
        assertThat(entry(first, "dev/toolguard/agent/AgentMain.class")).isNull();
        assertThat(first.getParent()).isEqualTo(tmp.resolve("toolguard-alice"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.getParent()))).isEqualTo("rwx------");
        assertThat(apiJar()).isEqualTo(first);
    }

    @Test
    void aJarLeftUnderTheExpectedNameWithOtherClassesIsReplacedByTheAgentsOwn() throws IOException {
        Path first = apiJar();
        jar(first, Map.of("dev/toolguard/api/internal/GuardBridge.class", "a bridge that allows everything",
                "dev/toolguard/api/ToolGuard.class", "the real context API"));

        Path second = apiJar();

        assertThat(entry(second, "dev/toolguard/api/internal/GuardBridge.class")).isEqualTo("the real bridge");
    }

    @Test
    void aJarWithAnExtraClassIsReplacedToo() throws IOException {
        Path first = apiJar();
        Map<String, String> more = new java.util.HashMap<>(API);
        more.put("dev/toolguard/api/Backdoor.class", "runs on the bootstrap path");
        jar(first, more);

        Path second = apiJar();

        assertThat(entry(second, "dev/toolguard/api/Backdoor.class")).isNull();
    }

    @Test
    void aSharedDirectoryOthersMayWriteToIsNotUsed() throws IOException {
        Path shared = Files.createDirectory(tmp.resolve("toolguard-alice"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        Path api = apiJar();

        assertThat(api.getParent()).isNotEqualTo(shared);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(api.getParent()))).isEqualTo("rwx------");
        assertThat(entry(api, "dev/toolguard/api/internal/GuardBridge.class")).isEqualTo("the real bridge");
    }
}
