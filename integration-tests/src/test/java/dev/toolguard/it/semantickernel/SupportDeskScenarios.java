package dev.toolguard.it.semantickernel;

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
 * The Semantic Kernel sample under the agent with its own toolguard.yaml and policies, on one Semantic Kernel
 * line: the kernel's own auto-invoke tool loop in {@code OpenAIChatCompletion}, an OpenAI endpoint scripted at
 * the HTTP client that answers on an I/O thread of its own, tools run on Reactor's {@code boundedElastic}
 * workers, and two employees known only through the MDC of the thread that asks. Each subclass is one forked JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SupportDeskScenarios {

    static final String ALICE_SEES = "[crm_read_account, issue_refund, reset_password]";
    static final String BOB_SEES = "[crm_read_account, email_send_external, issue_refund]";
    /** Semantic Kernel's own words before a failed tool call's message; the message is the denial. */
    static final String FAILED = "Call failed: ";
    static final String DENIED = "Denied by policy support-agent: ";

    @TempDir
    static Path dir;
    SupportDeskRun run;

    /** The sample jar built on the Semantic Kernel line under test. */
    abstract Path sampleJar();

    abstract String semanticKernelVersion();

    @BeforeAll
    void runTheSample() throws Exception {
        run = SupportDeskRun.run(dir, SupportDeskRun.SAMPLE.resolve("toolguard.yaml"), sampleJar());
    }

    @Test
    void theSampleRunsOnTheSemanticKernelVersionUnderTest() {
        assertThat(run.app.stdoutLines()).first().isEqualTo("Semantic Kernel " + semanticKernelVersion());
    }

    @Test
    void anAllowedRefundRunsOnAKernelWorkerAndItsResultReachesTheModel() {
        assertThat(run.bodyRuns(1, "issue_refund"))
                .containsExactly("boundedElastic: refunded 150.00 EUR to c-1001 (parcel arrived damaged)");
        assertThat(run.resultReceived(1, 2)).isEqualTo("issue_refund: refunded 150.00 EUR to c-1001 (parcel arrived damaged)");
        assertThat(run.answer(1)).isEqualTo("issue_refund said: refunded 150.00 EUR to c-1001 (parcel arrived damaged)");
    }

    @Test
    void aDeniedRefundNeverRunsAndTheModelReadsTheDenialAsTheToolResult() {
        assertThat(run.bodyRuns(2, "issue_refund")).isEmpty();
        assertThat(run.resultReceived(2, 2)).isEqualTo("issue_refund: " + FAILED + DENIED
                + "refund amount not allowed for your role [tools.issue_refund.rules[2]]");
    }

    @Test
    void afterADenialTheKernelAsksTheModelAgainAndTheConversationGoesOn() {
        assertThat(run.answer(2)).isEqualTo("issue_refund said: " + FAILED + DENIED
                + "refund amount not allowed for your role [tools.issue_refund.rules[2]]");
        assertThat(run.bodyRuns(3, "reset_password")).hasSize(1);
    }

    @Test
    void aPasswordResetIsLockedToTheAddressInTheAskingThreadsMdc() {
        assertThat(run.resultReceived(3, 2)).isEqualTo("reset_password: password reset link sent to alice@acme.example");
        assertThat(run.bodyRuns(4, "reset_password")).isEmpty();
        assertThat(run.resultReceived(4, 2)).startsWith("reset_password: " + FAILED + DENIED)
                .endsWith(" [tools.reset_password.lock.email]");
    }

    @Test
    void eachEmployeeIsOfferedOnlyTheToolsTheirRolesGrantInEveryRequestOfTheChat() {
        for (int q = 1; q <= 9; q++) {
            String expected = q <= 6 ? ALICE_SEES : BOB_SEES;
            assertThat(run.toolsOffered(q, 1)).as("first request of question %d", q).isEqualTo(expected);
            // sent from the I/O thread the model answered on, where nobody is signed in
            assertThat(run.toolsOffered(q, 2)).as("request after the tool result, question %d", q).isEqualTo(expected);
        }
    }

    @Test
    void aHiddenToolTheModelCallsAnywayIsDeniedAsAToolErrorNotACrash() {
        assertThat(run.bodyRuns(5, "email_send_external")).isEmpty();
        assertThat(run.resultReceived(5, 2)).startsWith("email_send_external: " + FAILED + DENIED).endsWith(" [roles]");
        assertThat(run.answer(5)).startsWith("email_send_external said: " + FAILED + DENIED);
    }

    @Test
    void aForbiddenToolTheModelCallsAnywayIsDeniedWithTheForbidReason() {
        assertThat(run.bodyRuns(6, "crm_delete_account")).isEmpty();
        assertThat(run.resultReceived(6, 2)).isEqualTo("crm_delete_account: " + FAILED + DENIED
                + "destructive operations are not available to agents [forbid[0]]");
    }

    @Test
    void anEmailAfterReadingTheCrmInTheSameSessionIsDenied() {
        assertThat(run.bodyRuns(7, "crm_read_account")).hasSize(1);
        assertThat(run.bodyRuns(8, "email_send_external")).isEmpty();
        assertThat(run.resultReceived(8, 2)).isEqualTo("email_send_external: " + FAILED + DENIED
                + "CRM data may not leave the company by email [sequences.no-crm-exfiltration]");
    }

    @Test
    void aManagersLargerRefundIsAllowed() {
        assertThat(run.resultReceived(9, 2)).isEqualTo("issue_refund: refunded 1500.00 EUR to c-2001 (outage)");
    }

    @Test
    void everyCallIsAuditedWithTheEmployeeOfTheAskingThreadAlthoughAWorkerRanIt() {
        List<JsonNode> decisions = AuditFile.ofType(run.audit, "decision");
        assertThat(decisions).extracting(d -> d.path("tool").asText() + " " + d.path("action").asText()
                + " " + d.path("ctx").path("user").path("id").asText()).containsExactly(
                "issue_refund allow alice", "issue_refund deny alice", "reset_password allow alice",
                "reset_password deny alice", "email_send_external deny alice", "crm_delete_account deny alice",
                "crm_read_account allow bob", "email_send_external deny bob", "issue_refund allow bob");
        JsonNode first = decisions.get(0);
        assertThat(first.path("method").asText()).startsWith("dev.toolguard.sample.semantickernel.SupportTools#issueRefund(");
        // named by @KernelFunctionParameter, converted by the kernel to the parameter's type before the call
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
            assertThat(run.resultReceived(deniedQuestions.get(i), 2)).isEqualTo(d.path("tool").asText() + ": " + FAILED
                    + DENIED + d.path("reason").asText() + " [" + d.path("rule").asText() + "]");
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
