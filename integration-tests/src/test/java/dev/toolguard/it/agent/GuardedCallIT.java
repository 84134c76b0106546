package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An app with a policy: allowed and denied calls end to end, what the caller sees and what is audited. */
class GuardedCallIT {

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;

    @BeforeAll
    static void runTheApp() throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("refunds.yaml");
        Path config = scenario.config("");
        app = scenario.app().agentOptions("config=" + config).main(RefundApp.class, "150", "900").run();
    }

    @Test
    void anAllowedCallRunsItsBodyAndReturnsItsResult() {
        assertThat(app.stdoutLines()).containsSubsequence("body ran 150.0", "call 150: ok refunded 150.0 to c1");
    }

    @Test
    void aDeniedCallThrowsTheDenialForTheModelAndItsBodyNeverRuns() {
        assertThat(app.stdoutLines()).contains("call 900: denied security=true cause=null rule=tools.issue_refund.rules[1]"
                + " message=Denied by policy support-agent: refund amount not allowed for your role [tools.issue_refund.rules[1]]");
        assertThat(app.stdout()).doesNotContain("body ran 900");
    }

    @Test
    void theAppKeepsRunningAfterADenialAndEndsNormally() {
        assertThat(app.stdoutLines()).last().isEqualTo("done");
        assertThat(app.exitCode()).isZero();
    }

    @Test
    void eachCallHasADecisionRecordAndAnAllowedOneAlsoItsOutcome() {
        List<JsonNode> decisions = AuditFile.ofType(scenario.audit(), "decision");
        assertThat(decisions).hasSize(2);
        JsonNode allowed = decisions.get(0);
        assertThat(allowed.path("tool").asText()).isEqualTo("issue_refund");
        assertThat(allowed.path("action").asText()).isEqualTo("allow");
        assertThat(allowed.path("enforced").asBoolean()).isTrue();
        assertThat(allowed.path("args").path("amount").asDouble()).isEqualTo(150.0);
        assertThat(allowed.path("ctx").path("user").path("id").asText()).isEqualTo("u1");
        assertThat(allowed.path("method").asText()).startsWith(RefundApp.class.getName() + "#issueRefund(");
        assertThat(allowed.path("policy").path("name").asText()).isEqualTo("support-agent");
        assertThat(allowed.path("policy").path("version").asText()).isEqualTo("it-1");
        assertThat(allowed.path("policy").path("sha256").asText()).hasSize(64);
        JsonNode denied = decisions.get(1);
        assertThat(denied.path("action").asText()).isEqualTo("deny");
        assertThat(denied.path("rule").asText()).isEqualTo("tools.issue_refund.rules[1]");
        assertThat(denied.path("reason").asText()).isEqualTo("refund amount not allowed for your role");

        List<JsonNode> outcomes = AuditFile.ofType(scenario.audit(), "outcome");
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.path("id").asText()).isEqualTo(allowed.path("id").asText());
            assertThat(o.path("status").asText()).isEqualTo("ok");
        });
    }

    @Test
    void theLogStartsWithAStartRecordAndTheLoadedPolicy() {
        List<JsonNode> records = AuditFile.records(scenario.audit());
        assertThat(records.get(0).path("type").asText()).isEqualTo("start");
        assertThat(records.get(1).path("type").asText()).isEqualTo("policy");
        assertThat(records.get(1).path("event").asText()).isEqualTo("loaded");
        assertThat(records.get(1).path("sha256").asText())
                .isEqualTo(records.get(2).path("policy").path("sha256").asText());
    }

    @Test
    void theAgentWritesExactlyOneStartLineToStandardError() {
        assertThat(app.stderrLines()).singleElement().asString()
                .matches("ToolGuard \\S+ started: policy support-agent version it-1 sha256 [0-9a-f]{64}; mode enforce; audit to "
                        + java.util.regex.Pattern.quote(scenario.audit().toString())
                        + "; tools: 0 guarded so far, more as classes load");
    }

    @Test
    void theAgentWritesNothingToStandardOutput() {
        assertThat(app.stdoutLines()).allSatisfy(line ->
                assertThat(line).matches("(call |body ran |done).*"));
    }
}
