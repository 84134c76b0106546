package dev.toolguard.it.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.langchain4j.apps.NamedArgumentsApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through LangChain4j (newest): an argument is named by {@code @P(name)}, and the parameters LangChain4j
 * fills in itself (a {@code @ToolMemoryId}, {@code InvocationParameters}) are no arguments of the policy.
 */
class LangChain4jNamedArgumentsIT {

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;

    @BeforeAll
    static void runTheApp() throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("lc4j-orders.yaml");
        Path config = scenario.config("""
                instrumentation:
                  builtin: [langchain4j]
                """);
        app = scenario.app().agentOptions("config=" + config)
                .alsoOnClasspath(LangChain4jSample.manifestClassPath())
                .main(NamedArgumentsApp.class, "o-1", "x-2").run();
    }

    @Test
    void theArgumentIsNamedByTheAnnotationAndThePlumbingIsLeftOut() {
        JsonNode first = AuditFile.ofType(scenario.audit(), "decision").get(0);
        assertThat(first.path("tool").asText()).isEqualTo("lookup_order");
        assertThat(first.path("args").toString()).isEqualTo("{\"order_id\":\"o-1\"}");
        assertThat(first.path("action").asText()).isEqualTo("allow");
    }

    @Test
    void anAllowedCallGetsWhatLangChain4jFillsIn() {
        assertThat(app.stdoutLines()).containsSubsequence("body ran o-1 conversation=conv-o-1 channel=web",
                "model received order o-1 shipped");
    }

    @Test
    void aCallThePolicyDeniesByTheNamedArgumentNeverRuns() {
        assertThat(app.stdoutLines()).contains(
                "model received Denied by policy orders: only order ids may be looked up [tools.lookup_order.rules[1]]");
        assertThat(app.stdout()).doesNotContain("body ran x-2");
        List<JsonNode> decisions = AuditFile.ofType(scenario.audit(), "decision");
        assertThat(decisions).hasSize(2);
        assertThat(decisions.get(1).path("args").toString()).isEqualTo("{\"order_id\":\"x-2\"}");
        assertThat(app.stdoutLines()).last().isEqualTo("done");
    }
}
