package dev.toolguard.it.springai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring AI sample as its README runs it: its own toolguard.yaml and policies, Spring Security users, the
 * tenant in the tool context, the tool list filtered. Each Spring AI line runs the same conversation in one forked
 * JVM of its executable Spring Boot jar; every assertion reads what the model received or what was audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GuardedConversation {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FUNCTION_TOOL_SITE = "org.springframework.ai.tool.function.FunctionToolCallback#call(String,ToolContext)";

    AgentProcess app;
    List<SampleRun.Turn> turns;
    Path audit;

    static final String LOG_FORMAT = "SUPPORT-DESK %-5level [%logger{0}] %msg%n";

    /** The sample's executable jar on the Spring AI line under test. */
    abstract Path sampleJar();

    @BeforeAll
    void runTheSample(@TempDir Path dir) throws Exception {
        audit = dir.resolve("audit.jsonl");
        app = SampleRun.run(AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + SampleRun.SAMPLE.resolve("toolguard.yaml") + ",audit=" + audit)
                // the application's own log settings, which must hold under the agent (SPEC §1): its start-up line,
                // in a format of its own
                .args("--spring.main.log-startup-info=true", "--logging.level.dev.toolguard.sample=info",
                        "--logging.pattern.console=" + LOG_FORMAT), sampleJar());
        turns = SampleRun.turns(app.stdoutLines());
        assertThat(turns).as("the conversation; stdout:\n%s\nstderr:\n%s", app.stdout(), app.stderr()).hasSize(8);
    }

    /** A JSON tree written with single quotes; objects compare regardless of key order. */
    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private SampleRun.Turn turn(int number) {
        return turns.get(number - 1);
    }

    @Test
    void anAllowedToolRunsAndTheModelReadsItsResult() {
        SampleRun.Turn refund = turn(1);

        assertThat(refund.toolBodiesRun()).containsExactly("issue_refund refunded 150.00 EUR to c-1001 for tenant acme");
        assertThat(refund.toolResults()).containsExactly("issue_refund: \"refunded 150.00 EUR to c-1001 for tenant acme\"");
        assertThat(refund.answer()).isEqualTo("issue_refund answered: \"refunded 150.00 EUR to c-1001 for tenant acme\"");
    }

    @Test
    void aDeniedToolNeverRunsAndTheModelReadsTheDenialAsItsResult() {
        SampleRun.Turn refund = turn(2);

        assertThat(refund.toolBodiesRun()).isEmpty();
        assertThat(refund.toolResults()).containsExactly("issue_refund: Denied by policy support-agent:"
                + " refund amount not allowed for your role [tools.issue_refund.rules[2]]");
        assertThat(refund.answer()).isEqualTo("issue_refund answered: Denied by policy support-agent:"
                + " refund amount not allowed for your role [tools.issue_refund.rules[2]]");
    }

    @Test
    void aFunctionToolIsGuardedByItsNameAndItsJsonArguments() {
        SampleRun.Turn toPartner = turn(6);
        SampleRun.Turn toGmail = turn(7);

        assertThat(toPartner.toolBodiesRun()).containsExactly("send_email to partner@initech.example subject renewal");
        assertThat(toPartner.toolResults()).containsExactly("send_email: \"sent to partner@initech.example\"");
        assertThat(toGmail.toolBodiesRun()).isEmpty();
        assertThat(toGmail.toolResults()).containsExactly("send_email: Denied by policy support-agent:"
                + " e-mail may only go to known partners [tools.send_email.rules[1]]");
    }

    @Test
    void theModelIsOfferedOnlyTheToolsItsUsersRolesGrant() {
        List<SampleRun.Turn> alice = turns.stream().filter(t -> t.user().equals("alice")).toList();
        List<SampleRun.Turn> bob = turns.stream().filter(t -> t.user().equals("bob")).toList();

        // every request of the conversation, also the ones carrying tool results, has the filtered list
        assertThat(alice).hasSize(5).allSatisfy(t ->
                assertThat(t.toolsOffered()).hasSize(2).containsOnly("[issue_refund, lookup_customer]"));
        assertThat(bob).hasSize(3).allSatisfy(t ->
                assertThat(t.toolsOffered()).hasSize(2).containsOnly("[issue_refund, lookup_customer, send_email]"));
    }

    @Test
    void aHiddenToolTheModelCallsAnywayIsDeniedAndTheConversationGoesOn() {
        SampleRun.Turn emailWithoutTheRole = turn(4);
        SampleRun.Turn forbiddenDelete = turn(5);

        assertThat(emailWithoutTheRole.toolBodiesRun()).isEmpty();
        assertThat(emailWithoutTheRole.toolResults()).containsExactly(
                "send_email: Denied by policy support-agent: no role of the caller grants tool 'send_email' [roles]");
        assertThat(forbiddenDelete.toolBodiesRun()).isEmpty();
        assertThat(forbiddenDelete.toolResults()).containsExactly("delete_customer: Denied by policy support-agent:"
                + " destructive operations are not available to agents [forbid[0]]");
        assertThat(turn(6).toolBodiesRun()).as("the next turn still runs tools").hasSize(1);
    }

    @Test
    void eachCallIsDecidedOnceInOrderAndAllowedOnesHaveAnOutcome() {
        List<JsonNode> decisions = AuditFile.ofType(audit, "decision");

        assertThat(decisions).extracting(d -> d.path("tool").asText() + " " + d.path("action").asText() + " " + d.path("rule").asText())
                .containsExactly(
                        "issue_refund allow tools.issue_refund.rules[0]",
                        "issue_refund deny tools.issue_refund.rules[2]",
                        "lookup_customer allow tools.lookup_customer.rules[0]",
                        "send_email deny roles",
                        "delete_customer deny forbid[0]",
                        "send_email allow tools.send_email.rules[0]",
                        "send_email deny tools.send_email.rules[1]",
                        "issue_refund allow tools.issue_refund.rules[1]");
        List<String> allowedIds = decisions.stream().filter(d -> d.path("action").asText().equals("allow"))
                .map(d -> d.path("id").asText()).toList();
        assertThat(AuditFile.ofType(audit, "outcome")).extracting(o -> o.path("id").asText() + " " + o.path("status").asText())
                .containsExactlyElementsOf(allowedIds.stream().map(id -> id + " ok").toList());
    }

    @Test
    void theCallerComesFromSpringSecurityAndTheTenantFromTheToolContext() {
        List<JsonNode> decisions = AuditFile.ofType(audit, "decision");
        JsonNode aliceRefund = decisions.get(0);
        JsonNode bobEmail = decisions.get(5);

        assertThat(aliceRefund.path("method").asText())
                .isEqualTo("dev.toolguard.sample.springai.SupportTools#issueRefund(String,double,String,ToolContext)");
        assertThat(aliceRefund.path("args"))
                .isEqualTo(json("{'customerId':'c-1001','amount':150.0,'reason':'parcel arrived damaged'}"));
        assertThat(aliceRefund.path("ctx"))
                .isEqualTo(json("{'user':{'id':'alice','roles':['support_l1']},'tenant':'acme','session':{'id':'s-alice-1'}}"));
        assertThat(bobEmail.path("method").asText()).isEqualTo(FUNCTION_TOOL_SITE);
        assertThat(bobEmail.path("args"))
                .isEqualTo(json("{'to':'partner@initech.example','subject':'renewal','body':'confirmed'}"));
        assertThat(bobEmail.path("ctx"))
                .isEqualTo(json("{'user':{'id':'bob','roles':['manager']},'tenant':'acme','session':{'id':'s-bob-1'}}"));
    }

    @Test
    void aToolMethodWithoutAToolContextParameterSeesOnlyTheUser() {
        JsonNode lookup = AuditFile.ofType(audit, "decision").get(2);

        assertThat(lookup.path("tool").asText()).isEqualTo("lookup_customer");
        assertThat(lookup.path("ctx")).isEqualTo(json("{'user':{'id':'alice','roles':['support_l1']}}"));
    }

    @Test
    void theConversationEndsNormallyWithOnlyTheStartLineOnStandardError() {
        assertThat(app.exitCode()).isZero();
        assertThat(app.stdoutLines()).last().isEqualTo("done");
        assertThat(app.stderrLines()).singleElement().asString().startsWith("ToolGuard ")
                .contains("started: policy support-agent version 2026-12-01.1");
    }

    @Test
    void springBootLogsInTheApplicationsOwnFormatUnderTheAgentWithAConfigFile() {
        assertThat(app.stdoutLines()).anyMatch(l -> l.startsWith("SUPPORT-DESK INFO  [SupportAgentApplication] Starting "));
    }
}
