package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.HostileArgumentsApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** SPEC §13.8 across restarts: the last good copy stands in only for the sources it came from, and only when safe. */
class LastGoodIT {

    private static final String PING = """
            apiVersion: toolguard.dev/v1
            kind: Policy
            metadata: {name: ping, version: "a-1"}
            tools:
              ping: {action: allow}
            """;

    @TempDir
    Path dir;

    /** An http URL nothing listens on: the port was free a moment ago. */
    private static String unreachableUrl() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return "http://127.0.0.1:" + port + "/b.yaml";
    }

    private Path config(Scenario s, String sources) throws IOException {
        return s.write("toolguard.yaml", """
                policy:
                  sources: %s
                  reload: 0
                  last_good: state/last-good
                audit:
                  file: audit.jsonl
                """.formatted(sources));
    }

    private static AgentProcess ping(Scenario s, Path config) throws Exception {
        return s.app().agentOptions("config=" + config).main(HostileArgumentsApp.class, "ping").run();
    }

    /** Runs once with the policies directory as the source, which saves the last good copy. */
    private Scenario withASavedCopyOfSourcesA() throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/ping.yaml", PING);
        AgentProcess first = ping(s, config(s, "[policies/]"));
        assertThat(first.stdoutLines()).contains("ping: pong");
        assertThat(s.file("state/last-good")).isDirectory();
        return s;
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    @Test
    void anotherUnreachableSourceDoesNotGetTheCopyOfTheFirst() throws Exception {
        Scenario s = withASavedCopyOfSourcesA();
        String b = unreachableUrl();

        AgentProcess app = ping(s, config(s, "[\"" + b + "\"]"));

        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("ping: denied")
                .contains("no policy loaded"));
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran"));
        assertThat(app.stderr()).contains("the last good copy in").contains("belongs to other policy sources")
                .contains(b).doesNotContain("deciding with the last good copy");
    }

    @Test
    void theSameSourcesUnreachableDecideWithTheCopy() throws Exception {
        Scenario s = withASavedCopyOfSourcesA();
        deleteTree(s.file("policies"));

        AgentProcess app = ping(s, config(s, "[policies/]"));

        assertThat(app.stdoutLines()).contains("body ran ping 1", "ping: pong");
        assertThat(app.stderr()).contains("deciding with the last good copy in");
        assertThat(AuditFile.ofType(s.audit(), "decision")).last()
                .satisfies(d -> assertThat(d.path("policy").path("version").asText()).isEqualTo("a-1"));
    }

    @Test
    void aGroupWritableCopyIsIgnoredWithAWarning() throws Exception {
        Scenario s = withASavedCopyOfSourcesA();
        Path copy = s.file("state/last-good");
        assumeTrue(Files.getFileAttributeView(copy, PosixFileAttributeView.class) != null, "POSIX permissions");
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxrwx---"));
        deleteTree(s.file("policies"));

        AgentProcess app = ping(s, config(s, "[policies/]"));

        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("ping: denied"));
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran"));
        assertThat(app.stderr()).contains("is ignored").contains("writable by its group");
    }

    @Test
    void aCopyChangedSinceItWasSavedIsNotUsed() throws Exception {
        Scenario s = withASavedCopyOfSourcesA();
        Path saved;
        try (Stream<Path> files = Files.list(s.file("state/last-good"))) {
            saved = files.filter(p -> p.getFileName().toString().endsWith("ping.yaml")).findFirst().orElseThrow();
        }
        Files.writeString(saved, PING.replace("a-1", "planted"));
        deleteTree(s.file("policies"));

        AgentProcess app = ping(s, config(s, "[policies/]"));

        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("ping: denied"));
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran"));
        assertThat(app.stderr()).contains("was changed since it was saved");
    }

    /**
     * A restart with unchanged sources writes the copy again off the start's path (it already holds the bundle); the
     * JVM's exit waits for it, so a copy damaged since is repaired by the time a short run has ended.
     */
    @Test
    void aRestartWithTheSameBundleWritesTheCopyAgainBeforeTheJvmEnds() throws Exception {
        Scenario s = withASavedCopyOfSourcesA();
        Path saved;
        try (Stream<Path> files = Files.list(s.file("state/last-good"))) {
            saved = files.filter(p -> p.getFileName().toString().endsWith("ping.yaml")).findFirst().orElseThrow();
        }
        Files.writeString(saved, PING.replace("a-1", "planted"));

        AgentProcess app = ping(s, config(s, "[policies/]"));

        assertThat(app.stdoutLines()).contains("body ran ping 1", "ping: pong");
        assertThat(app.stderr()).doesNotContain("cannot keep a last good copy");
        try (Stream<Path> files = Files.list(s.file("state/last-good"))) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith("ping.yaml")).toList()).singleElement()
                    .satisfies(p -> assertThat(Files.readString(p)).isEqualTo(PING));
        }
    }
}
