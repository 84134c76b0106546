package dev.toolguard.it.quarkus;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Quarkus LangChain4j sample ({@code sample-apps/quarkus-langchain4j-support}), its fast-jar run in a forked
 * JVM under the agent with the sample's own {@code toolguard.yaml}: one run of its six questions, shared by the
 * tests. Each question makes the scripted model propose one call; the model prints what it was offered and what
 * it read, the tool bodies print when they run.
 */
class QuarkusLangChain4jIT {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.quarkus.sample.dir"));
    static final Path RUN_JAR = SAMPLE.resolve("target/quarkus-app/quarkus-run.jar");

    @TempDir
    static Path dir;
    static AgentProcess app;
    static List<String> out;

    @BeforeAll
    static void runTheSample() throws Exception {
        Path audit = dir.resolve("audit.jsonl");
        // what java -jar quarkus-run.jar runs (the harness names a main class and a class path), with the
        // module opening its manifest asks for
        app = AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + SAMPLE.resolve("toolguard.yaml") + ",audit=" + audit)
                .jvmArg("--add-opens=java.base/java.lang=ALL-UNNAMED")
                .main("io.quarkus.bootstrap.runner.QuarkusEntryPoint", RUN_JAR).start();
        app.waitFor(Duration.ofSeconds(150));
        out = app.stdoutLines();
        assertThat(out).as("stdout:\n%s\nstderr:\n%s", app.stdout(), app.stderr()).contains("done");
    }

    @Test
    void anAllowedCallRunsAndTheModelReadsItsResult() {
        assertThat(out).containsSubsequence("[support] call crm_read_account {\"customerId\":\"c-1001\"}",
                "  [tool body] crm_read_account c-1001",
                "  model <- request 1.2: result of crm_read_account: \"account c-1001: gold tier, 2 open orders\"");
    }

    @Test
    void aDeniedCallNeverRunsItsBodyAndTheModelReadsTheDenialAndAnswers() {
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body] issue_refund"));
        assertThat(out).containsSubsequence("[support] call issue_refund {\"customerId\":\"c-1002\",\"amount\":900}",
                "  model <- request 2.2: result of issue_refund: Denied by policy support-agent: refunds over 200 EUR"
                        + " need a person [tools.issue_refund.rules[1]]",
                "  model -> answer",
                "  assistant: issue_refund said: Denied by policy support-agent: refunds over 200 EUR need a person"
                        + " [tools.issue_refund.rules[1]]");
    }

    @Test
    void theServicesToolsOfferedLeaveOutTheForbiddenOneOnEveryRequestOfTheLoop() {
        assertThat(out).contains("  model <- request 1.1: tools=[crm_read_account, issue_refund, lookup_order]",
                "  model <- request 1.2: tools=[crm_read_account, issue_refund, lookup_order]",
                "  model <- request 2.2: tools=[crm_read_account, issue_refund, lookup_order]");
        assertThat(out).noneMatch(l -> l.contains("tools=[") && (l.contains("delete_account") || l.contains("wipe_orders")));
    }

    @Test
    void toolBoxToolsAreFilteredToo() {
        assertThat(out).contains("  model <- request 4.1: tools=[archive_case, lookup_order]",
                "  model <- request 4.2: tools=[archive_case, lookup_order]");
    }

    @Test
    void aHiddenToolTheModelCallsAnywayIsDeniedNeverUnknown() {
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body] delete_account") || l.startsWith("  [tool body] purge_case"));
        assertThat(out).contains(
                "  model <- request 3.2: result of delete_account: Denied by policy support-agent: destructive operations"
                        + " are not available to agents [forbid[0]]",
                "  model <- request 4.2: result of purge_case: Denied by policy support-agent: destructive operations"
                        + " are not available to agents [forbid[0]]");
    }

    @Test
    void aToolProvidersCallsAreDecidedWhereTheServiceRunsThemAndADeniedExecutorNeverRuns() {
        assertThat(out).containsSubsequence("[support] call lookup_order {\"orderId\":\"o-1\"}",
                "  [tool body] lookup_order {\"orderId\":\"o-1\"}",
                "  model <- request 5.2: result of lookup_order: order o-1: shipped");
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body] wipe_orders"));
        assertThat(out).containsSubsequence("[support] call wipe_orders {}",
                "  model <- request 6.2: result of wipe_orders: Denied by policy support-agent: destructive operations"
                        + " are not available to agents [forbid[0]]",
                "  assistant: wipe_orders said: Denied by policy support-agent: destructive operations are not"
                        + " available to agents [forbid[0]]");
    }

    @Test
    void quarkusLogsInItsConfiguredFormatUnderTheAgentWithAConfigFile() {
        // application.properties: quarkus.log.console.format=SUPPORT-DESK %-5p [%c{1}] %s%e%n
        assertThat(out).contains("SUPPORT-DESK INFO  [SupportDesk] support desk ready")
                .anyMatch(l -> l.startsWith("SUPPORT-DESK INFO  [quarkus] ") && l.contains("powered by Quarkus"));
        // JUL's own format (a date line, then "INFO: ..."), were Quarkus's log manager not the one installed
        assertThat(app.stderrLines()).noneMatch(l -> l.startsWith("INFO: ") || l.contains("LogManager"));
        assertThat(out).noneMatch(l -> l.startsWith("INFO: "));
    }

    @Test
    void everyCallIsAudited() {
        List<String> decisions = AuditFile.ofType(dir.resolve("audit.jsonl"), "decision").stream()
                .map(r -> r.path("tool").asText() + " " + r.path("action").asText()).toList();
        assertThat(decisions).containsExactly("crm_read_account allow", "issue_refund deny", "delete_account deny",
                "purge_case deny", "lookup_order allow", "wipe_orders deny");
        assertThat(AuditFile.ofType(dir.resolve("audit.jsonl"), "decision")).filteredOn(r -> r.path("tool").asText()
                .equals("wipe_orders")).singleElement()
                .satisfies(r -> assertThat(r.path("method").asText()).isEqualTo("dev.langchain4j.service.tool.ToolExecutor#execute"));
    }
}
