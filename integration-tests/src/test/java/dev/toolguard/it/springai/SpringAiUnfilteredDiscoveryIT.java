package dev.toolguard.it.springai;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample with {@code filter_discovery: false}, and told by Spring AI's own setting to rethrow tool errors
 * instead of returning them to the model: every tool is offered, and a denial still reaches the model as the
 * tool's result (without the agent's hook on the exception processor, it would end the conversation).
 */
class SpringAiUnfilteredDiscoveryIT {

    @TempDir
    static Path dir;
    static AgentProcess app;
    static List<SampleRun.Turn> turns;

    @BeforeAll
    static void runTheSample() throws Exception {
        Scenario scenario = new Scenario(dir);
        Path config = scenario.write("toolguard.yaml", """
                policy:
                  sources: [%s]
                instrumentation:
                  builtin: [spring-ai]
                  filter_discovery: false
                context:
                  - spring-security: {}
                  - spring-ai-tool-context: {tenant: tenantId, session.id: sessionId}
                audit:
                  file: audit.jsonl
                """.formatted(SampleRun.SAMPLE.resolve("policies")));
        app = SampleRun.run(scenario.app().agentOptions("config=" + config)
                .property("spring.ai.tools.throw-exception-on-error", "true"), SampleRun.JAR_SPRING_AI_2_0);
        turns = SampleRun.turns(app.stdoutLines());
        assertThat(turns).as("the conversation; stdout:\n%s\nstderr:\n%s", app.stdout(), app.stderr()).hasSize(8);
    }

    @Test
    void everyToolIsOfferedToEveryUser() {
        assertThat(turns).allSatisfy(t -> assertThat(t.toolsOffered())
                .containsOnly("[delete_customer, issue_refund, lookup_customer, send_email]"));
    }

    @Test
    void denialsStillReachTheModelAsToolResultsWhenTheApplicationRethrowsToolErrors() {
        assertThat(turns.get(1).toolResults()).containsExactly("issue_refund: Denied by policy support-agent:"
                + " refund amount not allowed for your role [tools.issue_refund.rules[2]]");
        assertThat(turns.get(6).toolResults()).containsExactly("send_email: Denied by policy support-agent:"
                + " e-mail may only go to known partners [tools.send_email.rules[1]]");
        assertThat(turns.get(1).toolBodiesRun()).isEmpty();
        assertThat(turns.get(6).toolBodiesRun()).isEmpty();
    }

    @Test
    void allowedCallsRunAndTheConversationEndsNormally() {
        assertThat(turns.get(0).toolBodiesRun()).containsExactly("issue_refund refunded 150.00 EUR to c-1001 for tenant acme");
        assertThat(app.exitCode()).isZero();
        assertThat(app.stdoutLines()).last().isEqualTo("done");
    }
}
