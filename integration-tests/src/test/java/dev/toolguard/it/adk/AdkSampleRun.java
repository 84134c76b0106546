package dev.toolguard.it.adk;

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
 * The Google ADK sample ({@code sample-apps/adk-support}): an {@code LlmAgent} run by ADK's {@code InMemoryRunner}
 * against a scripted model, in a forked JVM under the agent with the sample's own {@code toolguard.yaml}. One run of
 * its four questions is shared by the tests; each question makes the model propose one call, the model prints what
 * it was offered and what it read, the tool bodies print when they run. Run on the newest ADK claimed ({@link AdkIT})
 * and the oldest ({@link AdkOldestIT}). An ADK the module does not fit is {@code AdkModuleTest}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AdkSampleRun {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.adk.sample.dir"));
    static final String MAIN = "dev.toolguard.sample.adk.SupportDesk";

    Path dir;
    List<String> out;

    /** The sample's jar, built on the ADK release under test; its manifest names its libraries. */
    abstract Path sampleJar();

    /** The ADK version the agent should find. */
    abstract String adkVersion();

    @BeforeAll
    void runTheSample(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        Path audit = dir.resolve("audit.jsonl");
        try (AgentProcess app = AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + SAMPLE.resolve("toolguard.yaml") + ",audit=" + audit)
                .main(MAIN, sampleJar()).start()) {
            app.waitFor(Duration.ofSeconds(120));
            out = app.stdoutLines();
            assertThat(out).as("stdout:\n%s\nstderr:\n%s", app.stdout(), app.stderr()).contains("done");
            assertThat(app.stderrLines()).filteredOn(l -> l.startsWith("ToolGuard ")).singleElement().asString()
                    .contains("adk " + adkVersion() + " applied");
            app.assertNoAdviceFailures();
        }
    }

    @Test
    void anAllowedCallRunsAndTheModelReadsItsResult() {
        assertThat(out).containsSubsequence("[support] call crm_read_account {\"customerId\":\"c-1001\"}",
                "  [tool body] crm_read_account c-1001",
                "  model <- request 1.2: result of crm_read_account: {account=account c-1001: gold tier, 2 open orders}");
        assertThat(out).containsSubsequence("[support] call issue_refund {\"customerId\":\"c-1004\",\"amount\":50}",
                "  [tool body] issue_refund c-1004 50.0",
                "  model <- request 4.2: result of issue_refund: {refund=refunded 50.0 EUR to c-1004}");
    }

    @Test
    void aDeniedCallNeverRunsItsBodyAndTheModelReadsTheDenialAsTheToolsErrorAndTheRunGoesOn() {
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body] issue_refund c-1002"));
        assertThat(out).containsSubsequence("[support] call issue_refund {\"customerId\":\"c-1002\",\"amount\":900}",
                "  model <- request 2.2: result of issue_refund: {error=Denied by policy support-agent: refunds over"
                        + " 200 EUR need a person [tools.issue_refund.rules[1]]}",
                "  model -> answer",
                "  assistant: issue_refund said: {error=Denied by policy support-agent: refunds over 200 EUR need a"
                        + " person [tools.issue_refund.rules[1]]}",
                // the same session's next turns run as usual
                "[support] call delete_account {\"customerId\":\"c-1003\"}");
    }

    @Test
    void theToolsOfferedLeaveOutTheForbiddenOneOnEveryRequestOfTheLoop() {
        assertThat(out).contains("  model <- request 1.1: tools=[crm_read_account, issue_refund]",
                "  model <- request 1.2: tools=[crm_read_account, issue_refund]",
                "  model <- request 3.1: tools=[crm_read_account, issue_refund]");
        assertThat(out).filteredOn(l -> l.contains(": tools=[")).hasSize(8).noneMatch(l -> l.contains("delete_account"));
    }

    @Test
    void aHiddenToolTheModelCallsAnywayIsDeniedNeverUnknown() {
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body] delete_account"));
        assertThat(out).contains("  model <- request 3.2: result of delete_account: {error=Denied by policy"
                + " support-agent: destructive operations are not available to agents [forbid[0]]}");
    }

    @Test
    void everyCallIsAuditedWithItsArgumentsByName() {
        List<String> decisions = AuditFile.ofType(dir.resolve("audit.jsonl"), "decision").stream()
                .map(r -> r.path("tool").asText() + " " + r.path("action").asText() + " " + r.path("args")).toList();
        assertThat(decisions).containsExactly("crm_read_account allow {\"customerId\":\"c-1001\"}",
                "issue_refund deny {\"customerId\":\"c-1002\",\"amount\":900}",
                "delete_account deny {\"customerId\":\"c-1003\"}",
                "issue_refund allow {\"customerId\":\"c-1004\",\"amount\":50}");
        assertThat(AuditFile.ofType(dir.resolve("audit.jsonl"), "decision"))
                .allSatisfy(r -> assertThat(r.path("method").asText()).isEqualTo("com.google.adk.tools.FunctionTool#runAsync"));
    }
}
