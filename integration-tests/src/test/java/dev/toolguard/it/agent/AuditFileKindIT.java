package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.11: an audit file that is not a regular file is refused at start without blocking the application;
 * every guarded call is then denied and the start line says why.
 */
class AuditFileKindIT {

    @TempDir
    Path dir;

    /** Runs RefundApp with a policy that allows its call, the audit log pointed at {@code audit}. */
    private AgentProcess runWithAuditAt(Scenario s, Path audit) throws Exception {
        s.policy("refunds.yaml");
        Path config = s.config("");
        AgentProcess app = s.app().agentOptions("config=" + config + ",audit=" + audit)
                .main(RefundApp.class, "10").start();
        // bounded: an agent that opened the FIFO would hang the application before main, for ever
        assertThat(app.waitFor(Duration.ofSeconds(60))).as(app.stderr()).isZero();
        return app;
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aFifoWithoutAReaderIsRefusedAndTheAppRunsToItsEndDenyingItsCalls() throws Exception {
        Scenario s = new Scenario(dir);
        Path fifo = s.file("audit.fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();

        AgentProcess app = runWithAuditAt(s, fifo);

        assertThat(app.stdoutLines()).as(app.stderr()).contains("done").anySatisfy(l -> assertThat(l)
                .startsWith("call 10: denied").contains("rule=on_error"));
        assertThat(app.stdout()).as(app.stderr()).doesNotContain("body ran");
        assertThat(app.stderr()).contains("audit log NOT open: cannot open audit log " + fifo
                + ": it is not a regular file (a FIFO, socket or device)");
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void aDirectoryIsRefusedAndEveryCallDenied() throws Exception {
        Scenario s = new Scenario(dir);
        Path directory = Files.createDirectories(s.file("audit-dir"));

        AgentProcess app = runWithAuditAt(s, directory);

        assertThat(app.stdoutLines()).as(app.stderr()).contains("done").anySatisfy(l -> assertThat(l)
                .startsWith("call 10: denied").contains("rule=on_error"));
        assertThat(app.stdout()).as(app.stderr()).doesNotContain("body ran");
        assertThat(app.stderr()).contains("audit log NOT open: cannot open audit log " + directory
                + ": it is a directory; the audit log must be a regular file");
        try (var entries = Files.list(directory)) {
            assertThat(entries).isEmpty();
        }
    }
}
