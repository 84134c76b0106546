package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.13: nothing in the shipped agent weakens the guard. The system properties that earlier agents read for
 * their own tests (audit off, injected start and engine failures) do nothing: the calls are decided by the policy
 * and every decision is in the audit log.
 */
class NoWeakeningSwitchesIT {

    @TempDir
    Path dir;

    @Test
    void theFormerTestSwitchesNeitherTurnTheAuditOffNorInjectFailures() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        Path config = s.config("");

        AgentProcess app = s.app().agentOptions("config=" + config)
                .property("toolguard.testing.audit-off", "true")
                .property("toolguard.testing.start-failure", "true")
                .property("toolguard.testing.engine-failure", "issue_refund")
                .main(RefundApp.class, "150", "900").run();

        assertThat(app.stdoutLines()).contains("body ran 150.0", "call 150: ok refunded 150.0 to c1", "done")
                .anySatisfy(l -> assertThat(l).startsWith("call 900: denied").contains("rule=tools.issue_refund.rules[1]"));
        assertThat(AuditFile.ofType(s.audit(), "decision")).extracting(d -> d.path("rule").asText())
                .containsExactly("tools.issue_refund.rules[0]", "tools.issue_refund.rules[1]");
        assertThat(app.stderrLines()).singleElement().asString().startsWith("ToolGuard ").contains("; audit to ");
    }
}
