package dev.toolguard.it.adversarial;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.FaultyAgent;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.agent.apps.LegacyToolsApp;
import dev.toolguard.it.langchain4j.LangChain4jSample;
import dev.toolguard.it.langchain4j.apps.ProgrammaticToolsApp;
import dev.toolguard.it.springai.SampleRun;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.5: when the agent cannot start, every tool it would have guarded is denied, not only annotated
 * methods ({@code FailClosedIT} has those): a {@code rules.yaml} entry, an MCP tool served by the MCP Java SDK, a
 * Spring AI function tool and a LangChain4j programmatic tool. Each runs an existing app with a policy that would
 * allow the call, on an agent jar whose start fails ({@link FaultyAgent}); each asserts that the body never
 * ran and that the caller (or the model) read a denial by rule {@code on_error} saying the agent failed to start.
 */
class FailedStartGuardsEverythingIT {

    static final String FAILED_TO_START = "the agent failed to start";
    static final String ON_ERROR = "[on_error]";

    @TempDir
    Path dir;

    @Test
    void aMethodNamedInRulesYamlIsDenied() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("legacy.yaml");
        try (InputStream in = getClass().getResourceAsStream("/it-rules/legacy-rules.yaml")) {
            Files.copy(in, dir.resolve("rules.yaml"));
        }
        Path config = s.config("""
                instrumentation:
                  rules: [rules.yaml]
                context:
                  - system-property: {user.id: app.user}
                """);

        AgentProcess app = s.app().agentOptions("config=" + config).property("app.user", "u-prop")
                .agentJar(FaultyAgent.failingToStart(dir)).main(LegacyToolsApp.class).run();

        assertThat(app.exitCode()).isZero();
        // calls 1 to 6 are the rules file's tools (by class glob, by implements, by annotation); 1, 3 and 4 the policy allows
        for (int call = 1; call <= 6; call++) {
            String prefix = "call " + call + ": denied ToolCallDeniedException ";
            assertThat(app.stdoutLines()).as(app.stderr()).anySatisfy(l -> assertThat(l).startsWith(prefix)
                    .contains(FAILED_TO_START).endsWith(ON_ERROR));
        }
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran refund") || l.startsWith("body ran lookup")
                || l.startsWith("body ran archive"));
        // a method no rule names is no tool: a failed start leaves it alone
        assertThat(app.stdoutLines()).contains("body ran describe t-1", "call 7: ok ticket t-1", "done");
    }

    @Test
    void anMcpSyncToolAnswersWithAnErrorResultAndItsHandlerNeverRuns() throws Exception {
        Path sample = Path.of(System.getProperty("toolguard.it.mcp.sample.dir"));
        String classpath = Files.readString(sample.resolve("target/classpath.txt")).trim() + File.pathSeparator
                + sample.resolve("target/sample-mcp-server.jar");
        ServerParameters server = ServerParameters.builder(Scenario.java().toString())
                .args("-javaagent:" + FaultyAgent.failingToStart(dir) + "=config=" + sample.resolve("toolguard.yaml")
                                + ",audit=" + dir.resolve("audit.jsonl"),
                        "-Xshare:auto",
                        "-cp", classpath, "dev.toolguard.sample.mcp.SupportDeskServer", "sync")
                // alice of support_l1, whom the sample's policy allows to look up orders
                .addEnvVar("SUPPORT_DESK_USER", "alice")
                .addEnvVar("SUPPORT_DESK_ROLES", "support_l1")
                .build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        List<String> stderr = new CopyOnWriteArrayList<>();
        transport.setStdErrorHandler(stderr::add);
        // a JVM starting with the agent can take half a minute on a busy machine: more than the SDK allows by default
        McpSyncClient client = McpClient.sync(transport).initializationTimeout(Duration.ofSeconds(120))
                .requestTimeout(Duration.ofSeconds(120)).build();
        try {
            client.initialize();

            CallToolResult lookup = client.callTool(new CallToolRequest("lookup_order", Map.of("order_id", "A-1001")));

            assertThat(lookup.isError()).as("an error result; content %s; stderr %s", lookup.content(), stderr).isTrue();
            assertThat(lookup.content()).singleElement().isInstanceOfSatisfying(TextContent.class,
                    t -> assertThat(t.text()).contains(FAILED_TO_START).endsWith(ON_ERROR));
            // the support desk logs each action it takes to standard error
            assertThat(stderr).noneMatch(l -> l.contains("support-desk: looked up order"));
            // and the server goes on serving
            client.ping();
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void aSpringAiFunctionToolIsDeniedAndTheModelReadsWhy() throws Exception {
        AgentProcess app = SampleRun.run(new Scenario(dir).app()
                .agentOptions("config=" + SampleRun.SAMPLE.resolve("toolguard.yaml") + ",audit=" + dir.resolve("audit.jsonl"))
                .agentJar(FaultyAgent.failingToStart(dir)), SampleRun.JAR_SPRING_AI_2_0);

        assertThat(app.exitCode()).as(app.stderr()).isZero();
        assertThat(app.stdoutLines()).as(app.stderr()).last().isEqualTo("done");
        // send_email is the sample's FunctionToolCallback: bob's mail to a partner is one the policy allows
        List<String> emailResults = app.stdoutLines().stream()
                .filter(l -> l.startsWith("  model received tool result send_email: ")).toList();
        assertThat(emailResults).hasSize(3).allSatisfy(r -> assertThat(r).contains(FAILED_TO_START).endsWith(ON_ERROR));
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("  tool ran: send_email"));
    }

    @Test
    void aLangChain4jProgrammaticToolIsDeniedAndTheModelReadsWhy() throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/mail.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: mail, version: "1"}
                default: deny
                tools:
                  send_email:
                    action: allow
                """);
        Path config = s.config("");

        AgentProcess app = s.app().agentOptions("config=" + config).agentJar(FaultyAgent.failingToStart(dir))
                .alsoOnClasspath(LangChain4jSample.manifestClassPath())
                .main(ProgrammaticToolsApp.class, "bob@acme.example").run();

        assertThat(app.exitCode()).as(app.stderr()).isZero();
        assertThat(app.stdoutLines()).as(app.stderr()).anySatisfy(l -> assertThat(l).startsWith("model received ")
                .contains(FAILED_TO_START).endsWith(ON_ERROR)).contains("done");
        assertThat(app.stdout()).doesNotContain("body ran send_email");
    }
}
