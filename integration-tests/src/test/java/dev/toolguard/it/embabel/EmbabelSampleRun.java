package dev.toolguard.it.embabel;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Embabel sample ({@code sample-apps/embabel-support}): an {@code @Agent} whose {@code @Action} asks a scripted
 * Spring AI chat model with {@code @LlmTool} tools, run by Embabel's agent platform in Spring Boot, in a forked JVM
 * under the agent with the sample's own {@code toolguard.yaml}. One run of its five questions is shared by the tests;
 * each question makes the model propose one call, the model prints what it was offered and what it read, the tool
 * bodies print when they run. Run on the newest Embabel claimed ({@link EmbabelIT}, which also runs an Embabel the
 * module does not fit) and the oldest ({@link EmbabelOldestIT}).
 *
 * <p>Embabel is Java 21 code: these tests run on the JDK 25 pass only, and only where the samples were built (the
 * {@code embabel} profile of {@code sample-apps}, on when that JDK is installed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmbabelSampleRun {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.embabel.sample.dir"));
    static final String MAIN = "dev.toolguard.sample.embabel.SupportDesk";
    static final Duration RUN = Duration.ofSeconds(180);
    /** Spring and Embabel start in half the CPU time with the client compiler alone: the runs are short. */
    static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    Path dir;
    List<String> out;

    /** The sample's jar, built on the Embabel release under test; its manifest names its libraries. */
    abstract Path sampleJar();

    /** The Embabel version the agent should find. */
    abstract String embabelVersion();

    /** Another run to start beside the sample's, sharing its wait (none by default). */
    AgentProcess startBeside(Path java) throws Exception {
        return null;
    }

    /** What to check of the run started beside, once it ended. */
    void besideEnded(AgentProcess beside) {
    }

    /** The JVM to run Embabel on: the JDK 25 pass's, never the JDK 17 the build runs on. */
    static Path java21() {
        String configured = System.getProperty("toolguard.it.java");
        Assumptions.assumeTrue(configured != null && !configured.isBlank(),
                "Embabel is Java 21 code: its tests run on the JDK 25 pass");
        return Scenario.java();
    }

    @BeforeAll
    void runTheSample(@TempDir Path tempDir) throws Exception {
        Path java = java21();
        Assumptions.assumeTrue(Files.isRegularFile(sampleJar()), "the Embabel samples were not built (no JDK 21 or newer)");
        dir = tempDir;
        Path audit = dir.resolve("audit.jsonl");
        AgentProcess beside = startBeside(java);
        try (AgentProcess app = AgentProcess.in(dir).java(java).jvmArg(QUICK_START)
                .agentOptions("config=" + SAMPLE.resolve("toolguard.yaml") + ",audit=" + audit)
                .main(MAIN, sampleJar()).start()) {
            app.waitFor(RUN);
            out = app.stdoutLines();
            assertThat(out).as("stdout:\n%s\nstderr:\n%s", app.stdout(), app.stderr()).contains("done");
            assertThat(app.stderrLines()).filteredOn(l -> l.startsWith("ToolGuard ")).singleElement().asString()
                    .contains("embabel " + embabelVersion() + " applied");
            app.assertNoAdviceFailures();
        } finally {
            if (beside != null) {
                try (beside) {
                    beside.waitFor(RUN);
                    besideEnded(beside);
                }
            }
        }
    }

    @Test
    void anAllowedCallRunsAndTheModelReadsItsResult() {
        assertThat(out).containsSubsequence("[support] call crm_read_account {\"customerId\":\"c-1001\"}",
                "  [tool body] crm_read_account c-1001",
                "  model <- request 1.2: result of crm_read_account: account c-1001: gold tier, 2 open orders",
                "  assistant: crm_read_account said: account c-1001: gold tier, 2 open orders");
        assertThat(out).containsSubsequence("[support] call issue_refund {\"customerId\":\"c-1004\",\"amount\":50}",
                "  [tool body] issue_refund c-1004 50.0",
                "  model <- request 4.2: result of issue_refund: refunded 50.0 EUR to c-1004");
    }

    @Test
    void aDeniedCallNeverRunsItsBodyAndTheModelReadsTheDenialAsTheToolsResultAndTheAgentGoesOn() {
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body] issue_refund c-1002"));
        assertThat(out).containsSubsequence("[support] call issue_refund {\"customerId\":\"c-1002\",\"amount\":900}",
                "  model <- request 2.2: result of issue_refund: Denied by policy support-agent: refunds over"
                        + " 200 EUR need a person [tools.issue_refund.rules[1]]",
                "  model -> answer",
                "  assistant: issue_refund said: Denied by policy support-agent: refunds over 200 EUR need a"
                        + " person [tools.issue_refund.rules[1]]",
                // the platform's next invocations run as usual
                "[support] call delete_account {\"customerId\":\"c-1003\"}");
        assertThat(out).noneMatch(l -> l.startsWith("  failed:"));
    }

    @Test
    void theToolsOfferedLeaveOutTheForbiddenOneOnEveryRequestOfTheLoop() {
        assertThat(out).contains("  model <- request 1.1: tools=[crm_read_account, issue_refund, order_status]",
                "  model <- request 1.2: tools=[crm_read_account, issue_refund, order_status]",
                "  model <- request 3.1: tools=[crm_read_account, issue_refund, order_status]");
        assertThat(out).filteredOn(l -> l.contains(": tools=[")).hasSize(10).noneMatch(l -> l.contains("delete_account"));
    }

    @Test
    void aHiddenToolTheModelCallsAnywayIsDeniedNeverUnknown() {
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body] delete_account"));
        assertThat(out).contains("  model <- request 3.2: result of delete_account: Denied by policy"
                + " support-agent: destructive operations are not available to agents [forbid[0]]");
    }

    @Test
    void everyCallIsDecidedOnceAndAuditedWithItsArgumentsAnEmbabelToolWhereEmbabelsToolLoopRunsIt() {
        List<String> decisions = AuditFile.ofType(dir.resolve("audit.jsonl"), "decision").stream()
                .map(r -> r.path("tool").asText() + " " + r.path("action").asText() + " " + r.path("args") + " at "
                        + r.path("method").asText()).toList();
        String loop = " at com.embabel.agent.spi.loop.support.DefaultToolLoop#executeToolCall";
        assertThat(decisions).containsExactly("crm_read_account allow {\"customerId\":\"c-1001\"}" + loop,
                "issue_refund deny {\"customerId\":\"c-1002\",\"amount\":900}" + loop,
                "delete_account deny {\"customerId\":\"c-1003\"}" + loop,
                "issue_refund allow {\"customerId\":\"c-1004\",\"amount\":50}" + loop,
                // a Spring AI @Tool method Embabel was given: decided by the spring-ai rule set where it runs, and only there
                "order_status allow {\"orderId\":\"o-77\"} at dev.toolguard.sample.embabel.SupportTools#orderStatus(String)");
    }

    @Test
    void aSpringAiToolGivenToAnEmbabelAgentRunsOnceAllowedAndTheModelReadsItsResult() {
        assertThat(out).containsSubsequence("[support] call order_status {\"orderId\":\"o-77\"}",
                "  [tool body] order_status o-77",
                "  model <- request 5.2: result of order_status: \"order o-77: shipped\"");
        assertThat(out).filteredOn(l -> l.startsWith("  [tool body] order_status")).hasSize(1);
    }
}
