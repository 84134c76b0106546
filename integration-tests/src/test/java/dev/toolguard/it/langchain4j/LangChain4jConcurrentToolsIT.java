package dev.toolguard.it.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.langchain4j.apps.ConcurrentToolsApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through LangChain4j (newest) with {@code executeToolsConcurrently()}: the tool calls run on LangChain4j's
 * executor threads, and each is decided with the context of the thread that asked (its MDC), not the worker's.
 */
class LangChain4jConcurrentToolsIT {

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;

    @BeforeAll
    static void runTheApp() throws Exception {
        scenario = new Scenario(dir);
        scenario.write("policies/orders.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: orders, version: "1"}
                default: deny
                tools:
                  lookup_order:
                    rules:
                      - when: 'has(ctx.user.id) && ctx.user.id == "alice"'
                        action: allow
                      - action: deny
                        reason: only alice may look orders up
                """);
        Path config = scenario.config("""
                instrumentation:
                  builtin: [langchain4j]
                context:
                  - mdc: {user.id: userId}
                """);
        app = scenario.app().agentOptions("config=" + config)
                .alsoOnClasspath(LangChain4jSample.manifestClassPath())
                .main(ConcurrentToolsApp.class, "alice").run();
    }

    @Test
    void bothCallsRanOnWorkerThreadsAndWereAllowedForTheAskingThreadsUser() {
        assertThat(app.stdoutLines()).as(app.stderr())
                .contains("body ran o-1 on main thread: false", "body ran o-2 on main thread: false",
                        "model received order o-1 shipped", "model received order o-2 shipped", "done");
        List<JsonNode> decisions = AuditFile.ofType(scenario.audit(), "decision");
        assertThat(decisions).extracting(d -> d.path("args").path("order_id").asText() + " " + d.path("action").asText()
                + " " + d.path("ctx").path("user").path("id").asText())
                .containsExactlyInAnyOrder("o-1 allow alice", "o-2 allow alice");
    }

    @Test
    void theAppEndsNormallyWithOnlyTheAgentsStartLineOnStandardError() {
        assertThat(app.exitCode()).isZero();
        assertThat(app.stderrLines()).singleElement().asString().startsWith("ToolGuard ");
    }
}
