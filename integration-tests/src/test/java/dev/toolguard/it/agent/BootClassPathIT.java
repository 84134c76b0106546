package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class-data-sharing recipe of docs/performance.md starts the JVM with {@code -Xbootclasspath/a:<agent jar>}: the
 * agent then finds its API on the bootstrap path already and does not append the jar at run time (which would turn
 * sharing off for every class not of the boot loader, with a warning on stderr), and guards as it always does.
 */
class BootClassPathIT {

    @TempDir
    Path dir;

    @Test
    void withTheAgentJarOnTheBootClassPathToolsAreGuardedAndSharingStaysOn() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        Path config = s.config("");

        AgentProcess app = s.app().jvmArg("-Xbootclasspath/a:" + AgentProcess.AGENT_JAR).agentOptions("config=" + config)
                .main(RefundApp.class, "10", "900").run();

        assertThat(app.stdoutLines()).contains("body ran 10.0", "done")
                .anySatisfy(l -> assertThat(l).startsWith("call 900: denied").contains("refund amount not allowed"));
        assertThat(app.stdout()).doesNotContain("body ran 900.0");
        assertThat(app.stderr()).contains("ToolGuard").contains("started")
                .doesNotContain("Sharing is only supported for boot loader classes");
        assertThat(AuditFile.ofType(s.audit(), "decision")).hasSize(2);
    }
}
