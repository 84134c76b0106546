package dev.toolguard.it.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.langchain4j.apps.ProgrammaticToolsApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through LangChain4j (newest; {@link LangChain4jProgrammaticTools14IT} on 1.4.0): a programmatic tool, a
 * {@code ToolSpecification} with a lambda {@code ToolExecutor}, is decided like a {@code @Tool} method: a denied
 * call never reaches the lambda, the model reads the denial as the tool's error, and both calls are in the audit
 * log with the model's arguments.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LangChain4jProgrammaticToolsIT {

    @TempDir
    static Path dir;
    Scenario scenario;
    AgentProcess app;

    /** LangChain4j's jars and their dependencies, for the app's class path. */
    List<Path> langChain4j() throws Exception {
        return LangChain4jSample.manifestClassPath();
    }

    @BeforeAll
    void runTheApp() throws Exception {
        scenario = new Scenario(dir);
        scenario.write("policies/mail.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: mail, version: "1"}
                default: deny
                tools:
                  send_email:
                    arguments:
                      type: object
                      required: [to]
                      properties:
                        to: {type: string, format: email}
                    rules:
                      - when: 'args.to.endsWith("@acme.example")'
                        action: allow
                      - action: deny
                        reason: e-mail may only go to acme.example
                """);
        Path config = scenario.config("""
                instrumentation:
                  builtin: [langchain4j]
                """);
        app = scenario.app().agentOptions("config=" + config)
                .alsoOnClasspath(langChain4j())
                .main(ProgrammaticToolsApp.class, "bob@acme.example", "eve@evil.example").run();
    }

    @Test
    void anAllowedCallRunsTheExecutorAndADeniedOneNeverReachesIt() {
        assertThat(app.stdoutLines()).as(app.stderr()).containsSubsequence(
                "body ran send_email {\"to\":\"bob@acme.example\"}", "model received sent",
                "model received Denied by policy mail: e-mail may only go to acme.example [tools.send_email.rules[1]]",
                "done");
        assertThat(app.stdout()).doesNotContain("body ran send_email {\"to\":\"eve@evil.example\"}");
    }

    @Test
    void bothCallsAreAuditedWithTheModelsArgumentsAndOnlyTheAllowedOneHasAnOutcome() {
        List<JsonNode> decisions = AuditFile.ofType(scenario.audit(), "decision");
        assertThat(decisions).extracting(d -> d.path("tool").asText() + " " + d.path("action").asText() + " "
                + d.path("args").path("to").asText() + " " + d.path("method").asText()).containsExactly(
                "send_email allow bob@acme.example dev.langchain4j.service.tool.ToolExecutor#execute",
                "send_email deny eve@evil.example dev.langchain4j.service.tool.ToolExecutor#execute");
        assertThat(AuditFile.ofType(scenario.audit(), "outcome")).extracting(o -> o.path("id").asText())
                .containsExactly(decisions.get(0).path("id").asText());
    }

    @Test
    void theAppEndsNormallyWithOnlyTheAgentsStartLineOnStandardError() {
        assertThat(app.exitCode()).isZero();
        assertThat(app.stderrLines()).singleElement().asString().startsWith("ToolGuard ");
    }
}
