package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.RefundApp;
import dev.toolguard.it.agent.apps.ToolContextScopesApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §5 step 3 and §6, through context sources in a forked JVM: an empty scope list is a value that grants
 * nothing, and scopes a source has but cannot read deny; neither makes the agent unrestricted.
 */
class NeverWidenContextIT {

    @Test
    void scopesInASpringAiToolContextThatAreEmptyOrUnreadableDenyTheCall(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario(dir);
        scenario.policy("crm-delete.yaml");
        Path config = scenario.config("""
                instrumentation:
                  builtin: [spring-ai]
                context:
                  - spring-ai-tool-context: {}
                """);

        AgentProcess app = scenario.app().agentOptions("config=" + config)
                .alsoOnClasspath(AgentProcess.testClasspathJars("spring-ai-model"))
                .main(ToolContextScopesApp.class, "granted", "empty", "opaque").run();

        List<String> out = app.stdoutLines();
        assertThat(out).as(app.stderr()).hasSize(5);
        assertThat(out.subList(0, 3)).containsExactly(
                "body ran c1",
                "granted: ok deleted c1",
                "empty: denied rule=roles message=Denied by policy crm: the agent's scopes do not include tool"
                        + " 'crm_delete' [roles]");
        // scopes the source has but cannot convert are not absent (which would leave the agent unrestricted)
        assertThat(out.get(3)).startsWith("opaque: denied rule=on_error message=").contains(
                "invalid call: context agent.scopes at /1 cannot be read", "[on_error]");
        assertThat(out.get(4)).isEqualTo("done");
        List<JsonNode> decisions = AuditFile.ofType(scenario.audit(), "decision");
        assertThat(decisions).extracting(d -> d.path("action").asText() + " " + d.path("rule").asText())
                .containsExactly("allow tools.crm_delete.rules[0]", "deny roles", "deny on_error");
        assertThat(decisions.get(1).path("ctx").path("agent").path("scopes").toString()).isEqualTo("[]");
        assertThat(decisions.get(2).path("ctx").has("agent")).isFalse();
        assertThat(decisions.get(2).path("reason").asText()).contains("context agent.scopes at /1 cannot be read");
    }

    @Test
    void aSystemPropertyWithAnEmptyValueGivesScopesThatGrantNothing(@TempDir Path dir) throws Exception {
        Scenario scenario = new Scenario(dir);
        scenario.policy("refunds.yaml");
        Path config = scenario.config("""
                context:
                  - system-property: {agent.scopes: app.scopes}
                """);

        AgentProcess app = scenario.app().agentOptions("config=" + config).property("app.scopes", "")
                .main(RefundApp.class, "150").run();

        assertThat(app.stdoutLines()).as(app.stderr()).containsExactly(
                "call 150: denied security=true cause=null rule=roles message=Denied by policy support-agent:"
                        + " the agent's scopes do not include tool 'issue_refund' [roles]",
                "done");
        assertThat(AuditFile.ofType(scenario.audit(), "decision").get(0).path("ctx").path("agent").toString())
                .isEqualTo("{\"scopes\":[]}");
    }
}
