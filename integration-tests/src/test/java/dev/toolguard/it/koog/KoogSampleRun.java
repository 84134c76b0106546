package dev.toolguard.it.koog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Koog sample ({@code sample-apps/koog-support}): a Koog agent (its single-run strategy) against a scripted
 * prompt executor, in a forked JVM under the agent with the sample's own {@code toolguard.yaml}. One run of its five
 * questions is shared by the tests; each question is one run of the agent in which the model proposes one call, the
 * model prints what it was offered and what it read, the tool bodies print when they run. The last question's tool
 * suspends (its answer comes from another thread). Run on the newest Koog claimed ({@link KoogIT}) and the oldest
 * ({@link KoogOldestIT}); a Koog the module does not fit is {@link KoogReshapedIT}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KoogSampleRun {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.koog.sample.dir"));
    static final String MAIN = "dev.toolguard.sample.koog.SupportDesk";

    Path dir;
    List<String> out;

    /** The sample's jar, built on the Koog release under test; its manifest names its libraries. */
    abstract Path sampleJar();

    /** The Koog version the agent should find. */
    abstract String koogVersion();

    @BeforeAll
    void runTheSample(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        try (AgentProcess app = AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + SAMPLE.resolve("toolguard.yaml") + ",audit=" + dir.resolve("audit.jsonl"))
                .main(MAIN, sampleJar()).start()) {
            app.waitFor(Duration.ofSeconds(120));
            out = app.stdoutLines();
            assertThat(out).as("stdout:\n%s\nstderr:\n%s", app.stdout(), app.stderr()).contains("done");
            assertThat(app.stderrLines()).filteredOn(l -> l.startsWith("ToolGuard ")).singleElement().asString()
                    .contains("koog " + koogVersion() + " applied");
            app.assertNoAdviceFailures();
        }
    }

    @Test
    void anAllowedCallRunsAndTheModelReadsItsResult() {
        assertThat(out).containsSubsequence("[support] call crm_read_account {\"customerId\":\"c-1001\"}",
                "  [tool body] crm_read_account c-1001",
                "  model <- request 1.2: result of crm_read_account: \"account c-1001: gold tier, 2 open orders\"");
        assertThat(out).containsSubsequence("[support] call issue_refund {\"customerId\":\"c-1004\",\"amount\":50}",
                "  [tool body] issue_refund c-1004 50.0",
                "  model <- request 4.2: result of issue_refund: \"refunded 50.0 EUR to c-1004\"");
    }

    @Test
    void aDeniedCallNeverRunsItsBodyAndTheModelReadsTheDenialAsTheToolsErrorAndTheRunGoesOn() {
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body] issue_refund c-1002"));
        assertThat(out).containsSubsequence("[support] call issue_refund {\"customerId\":\"c-1002\",\"amount\":900}",
                "  model <- request 2.2: result of issue_refund (error): Denied by policy support-agent: refunds over"
                        + " 200 EUR need a person [tools.issue_refund.rules[1]]",
                "  model -> answer",
                "  assistant: issue_refund said: Denied by policy support-agent: refunds over 200 EUR need a person"
                        + " [tools.issue_refund.rules[1]]",
                // the desk's next questions run as usual
                "[support] call delete_account {\"customerId\":\"c-1003\"}");
        assertThat(out).noneMatch(l -> l.startsWith("  run failed"));
    }

    @Test
    void theToolsOfferedLeaveOutTheForbiddenOneOnEveryRequestOfTheLoop() {
        assertThat(out).contains("  model <- request 1.1: tools=[check_order_status, crm_read_account, issue_refund]",
                "  model <- request 1.2: tools=[check_order_status, crm_read_account, issue_refund]",
                "  model <- request 3.1: tools=[check_order_status, crm_read_account, issue_refund]");
        assertThat(out).filteredOn(l -> l.contains(": tools=[")).hasSize(10).noneMatch(l -> l.contains("delete_account"));
    }

    @Test
    void aHiddenToolTheModelCallsAnywayIsDeniedNeverUnknown() {
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body] delete_account"));
        assertThat(out).contains("  model <- request 3.2: result of delete_account (error): Denied by policy"
                + " support-agent: destructive operations are not available to agents [forbid[0]]");
    }

    @Test
    void aToolThatSuspendsIsDecidedOnceAndItsOutcomeIsWrittenWhenItResumes() {
        assertThat(out).containsSubsequence("[support] call check_order_status {\"orderId\":\"o-77\"}",
                "  [tool body] check_order_status o-77",
                "  model <- request 5.2: result of check_order_status: order o-77: shipped");
        List<JsonNode> decisions = AuditFile.ofType(dir.resolve("audit.jsonl"), "decision");
        String id = decisions.get(decisions.size() - 1).path("id").asText();
        // written by the continuation the advice handed the suspended call, not when it parked
        assertThat(AuditFile.ofType(dir.resolve("audit.jsonl"), "outcome"))
                .filteredOn(r -> r.path("id").asText().equals(id)).singleElement()
                .satisfies(r -> assertThat(r.path("status").asText()).isEqualTo("ok"));
    }

    @Test
    void everyCallIsAuditedOnceWithTheModelsArgumentsByName() {
        List<JsonNode> decisions = AuditFile.ofType(dir.resolve("audit.jsonl"), "decision");
        assertThat(decisions.stream().map(r -> r.path("tool").asText() + " " + r.path("action").asText() + " "
                + r.path("args")).toList()).containsExactly(
                "crm_read_account allow {\"customerId\":\"c-1001\"}",
                "issue_refund deny {\"customerId\":\"c-1002\",\"amount\":900}",
                "delete_account deny {\"customerId\":\"c-1003\"}",
                "issue_refund allow {\"customerId\":\"c-1004\",\"amount\":50}",
                "check_order_status allow {\"orderId\":\"o-77\"}");
        assertThat(decisions).allSatisfy(r -> assertThat(r.path("method").asText())
                .isEqualTo("ai.koog.agents.core.environment.GenericAgentEnvironment#executeTool"));
        // one outcome for each allowed call, none for a denied one
        assertThat(AuditFile.ofType(dir.resolve("audit.jsonl"), "outcome")).hasSize(3);
    }
}
