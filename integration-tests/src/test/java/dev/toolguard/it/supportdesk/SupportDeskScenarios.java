package dev.toolguard.it.supportdesk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.AuditFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A support desk sample under the agent with its own toolguard.yaml and policies, on one framework version:
 * the framework's own tool-calling loop, a scripted model, two employees known only through the MDC of the
 * thread that asks. What must hold on every framework is here; each subclass is one forked JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SupportDeskScenarios {

    static final String ALICE_SEES = "[crm_read_account, issue_refund, reset_password]";
    static final String BOB_SEES = "[crm_read_account, email_send_external, issue_refund]";
    static final String DENIED = "Denied by policy support-agent: ";

    @TempDir
    static Path dir;
    protected SupportDeskRun run;

    /** Runs the sample in {@code dir}. */
    protected abstract SupportDeskRun start(Path dir) throws Exception;

    /** The first line the sample prints: the framework and its version, e.g. {@code LangChain4j 1.19.0}. */
    protected abstract String frameworkLine();

    /** The sample's tool class, as the audit record's {@code method} names it. */
    protected abstract String toolClass();

    /** What the framework itself puts before a failed tool call's message in the tool result: often nothing. */
    protected String toolErrorPrefix() {
        return "";
    }

    @BeforeAll
    void runTheSample() throws Exception {
        run = start(dir);
    }

    /** The tool result the model reads for a denial: the framework's prefix, then the denial text. */
    private String denial(String reasonAndRule) {
        return toolErrorPrefix() + DENIED + reasonAndRule;
    }

    @Test
    void theSampleRunsOnTheFrameworkVersionUnderTest() {
        assertThat(run.app.stdoutLines()).first().isEqualTo(frameworkLine());
    }

    @Test
    void anAllowedRefundRunsAndItsResultReachesTheModel() {
        assertThat(run.bodyRuns(1, "issue_refund")).hasSize(1);
        assertThat(run.resultReceived(1, 2)).isEqualTo("issue_refund: refunded 150.00 EUR to c-1001 (parcel arrived damaged)");
        assertThat(run.answer(1)).isEqualTo("issue_refund said: refunded 150.00 EUR to c-1001 (parcel arrived damaged)");
    }

    @Test
    void aDeniedRefundNeverRunsAndTheModelReadsTheDenialAsTheToolResult() {
        assertThat(run.bodyRuns(2, "issue_refund")).isEmpty();
        assertThat(run.resultReceived(2, 2))
                .isEqualTo("issue_refund: " + denial("refund amount not allowed for your role [tools.issue_refund.rules[2]]"));
    }

    @Test
    void afterADenialTheConversationGoesOnAndTheModelAnswers() {
        assertThat(run.answer(2))
                .isEqualTo("issue_refund said: " + denial("refund amount not allowed for your role [tools.issue_refund.rules[2]]"));
        // the next question is served as usual
        assertThat(run.bodyRuns(3, "reset_password")).hasSize(1);
    }

    @Test
    void aPasswordResetIsLockedToTheCallersOwnAddressFromTheMdc() {
        assertThat(run.resultReceived(3, 2)).isEqualTo("reset_password: password reset link sent to alice@acme.example");
        assertThat(run.bodyRuns(4, "reset_password")).isEmpty();
        assertThat(run.resultReceived(4, 2)).startsWith("reset_password: " + denial(""))
                .endsWith(" [tools.reset_password.lock.email]");
    }

    @Test
    void eachEmployeeIsOfferedOnlyTheToolsTheirRolesGrantAndNoForbiddenOne() {
        for (int q = 1; q <= 9; q++) {
            String expected = q <= 6 ? ALICE_SEES : BOB_SEES;
            assertThat(run.toolsOffered(q, 1)).as("first request of question %d", q).isEqualTo(expected);
            assertThat(run.toolsOffered(q, 2)).as("request after the tool result, question %d", q).isEqualTo(expected);
        }
    }

    @Test
    void aHiddenToolTheModelCallsAnywayIsDeniedAsAToolErrorNotACrash() {
        assertThat(run.bodyRuns(5, "email_send_external")).isEmpty();
        assertThat(run.resultReceived(5, 2)).startsWith("email_send_external: " + denial("")).endsWith(" [roles]");
        assertThat(run.answer(5)).startsWith("email_send_external said: " + denial(""));
    }

    @Test
    void aForbiddenToolTheModelCallsAnywayIsDeniedWithTheForbidReason() {
        assertThat(run.bodyRuns(6, "crm_delete_account")).isEmpty();
        assertThat(run.resultReceived(6, 2))
                .isEqualTo("crm_delete_account: " + denial("destructive operations are not available to agents [forbid[0]]"));
    }

    @Test
    void anEmailAfterReadingTheCrmInTheSameSessionIsDenied() {
        assertThat(run.bodyRuns(7, "crm_read_account")).hasSize(1);
        assertThat(run.bodyRuns(8, "email_send_external")).isEmpty();
        assertThat(run.resultReceived(8, 2)).isEqualTo("email_send_external: "
                + denial("CRM data may not leave the company by email [sequences.no-crm-exfiltration]"));
    }

    @Test
    void aManagersLargerRefundIsAllowed() {
        assertThat(run.resultReceived(9, 2)).isEqualTo("issue_refund: refunded 1500.00 EUR to c-2001 (outage)");
    }

    @Test
    void everyCallIsAuditedWithTheEmployeeFromTheMdcAndTheToolMethod() {
        List<JsonNode> decisions = AuditFile.ofType(run.audit, "decision");
        assertThat(decisions).extracting(d -> d.path("tool").asText() + " " + d.path("action").asText()
                + " " + d.path("ctx").path("user").path("id").asText()).containsExactly(
                "issue_refund allow alice", "issue_refund deny alice", "reset_password allow alice",
                "reset_password deny alice", "email_send_external deny alice", "crm_delete_account deny alice",
                "crm_read_account allow bob", "email_send_external deny bob", "issue_refund allow bob");
        JsonNode first = decisions.get(0);
        assertThat(first.path("method").asText()).startsWith(toolClass() + "#issueRefund(");
        assertThat(first.path("args").path("customerId").asText()).isEqualTo("c-1001");
        assertThat(first.path("args").path("amount").asDouble()).isEqualTo(150.0);
        assertThat(first.path("ctx").path("user").path("roles").toString()).isEqualTo("[\"support_l1\"]");
        assertThat(first.path("ctx").path("session").path("id").asText()).isEqualTo("s-alice-1");
    }

    @Test
    void theModelReadsExactlyTheDenialTheAuditLogRecorded() {
        List<JsonNode> denials = AuditFile.ofType(run.audit, "decision").stream()
                .filter(d -> d.path("action").asText().equals("deny")).toList();
        List<Integer> deniedQuestions = List.of(2, 4, 5, 6, 8);
        assertThat(denials).hasSameSizeAs(deniedQuestions);
        IntStream.range(0, denials.size()).forEach(i -> {
            JsonNode d = denials.get(i);
            assertThat(run.resultReceived(deniedQuestions.get(i), 2)).isEqualTo(d.path("tool").asText() + ": "
                    + denial(d.path("reason").asText() + " [" + d.path("rule").asText() + "]"));
        });
    }

    @Test
    void onlyAllowedCallsHaveAnOutcome() {
        List<String> allowed = AuditFile.ofType(run.audit, "decision").stream()
                .filter(d -> d.path("action").asText().equals("allow")).map(d -> d.path("id").asText()).toList();
        assertThat(AuditFile.ofType(run.audit, "outcome")).extracting(o -> o.path("id").asText() + " " + o.path("status").asText())
                .containsExactlyElementsOf(allowed.stream().map(id -> id + " ok").toList());
    }

    @Test
    void theSampleEndsNormallyWithOnlyTheAgentsStartLineOnStandardError() {
        assertThat(run.app.stdoutLines()).last().isEqualTo("done");
        assertThat(run.app.exitCode()).isZero();
        assertThat(run.app.stderrLines()).singleElement().asString().startsWith("ToolGuard ");
    }
}
