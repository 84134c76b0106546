package dev.toolguard.it.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.mcp.apps.StatelessServerApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stateless MCP server of the newest SDK ({@code McpStatelessAsyncServer}, what streamable HTTP without
 * sessions runs) under the agent, its requests handed in with the transport context an HTTP extractor makes:
 * each sync tool call is decided exactly once, with the transport's user, a denial is a tool error, and each
 * caller's tool list holds what the roles in its transport context grant.
 */
class McpStatelessServerIT {

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;

    @BeforeAll
    static void serveTheCalls() throws Exception {
        scenario = new Scenario(dir);
        scenario.write("policies/stateless.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: stateless, version: "1"}
                default: deny
                roles:
                  support: [issue_refund, lookup_order]
                  auditor: [lookup_order]
                tools:
                  issue_refund:
                    arguments: {type: object, properties: {amount: {}}}
                    rules:
                      - when: 'ctx.user.id == "alice" && args.amount <= 200'
                        action: allow
                      - action: deny
                        reason: refund too large
                  lookup_order:
                    action: allow
                """);
        Path config = scenario.config("""
                instrumentation:
                  builtin: [mcp]
                context:
                  - mcp: {user.id: transport.user_id, user.roles: transport.roles}
                """);
        List<Path> sdk = Stream.of(Files.readString(SupportDeskServer.SAMPLE.resolve("target/classpath.txt")).trim()
                .split(File.pathSeparator)).map(Path::of).toList();
        app = scenario.app().agentOptions("config=" + config).alsoOnClasspath(sdk)
                .main(StatelessServerApp.class).run();
    }

    @Test
    void anAllowedSyncToolRunsOnceAndADeniedOneIsAToolErrorWithTheDenialText() {
        assertThat(app.stdoutLines()).as(app.stderr()).containsSubsequence(
                "body ran issue_refund 150", "call 150: isError=false refunded",
                "call 900: isError=true Denied by policy stateless: refund too large [tools.issue_refund.rules[1]]",
                "body ran lookup_order c-1", "call lookup: isError=false shipped", "done");
        assertThat(app.stdout()).doesNotContain("body ran issue_refund 900");
    }

    @Test
    void eachCallersToolListHoldsTheToolsTheRolesInTheTransportContextGrant() {
        // the list is decided with the request's transport context, not the thread's, where nobody is known
        assertThat(app.stdoutLines()).contains("list alice: [issue_refund, lookup_order]", "list bob: [lookup_order]");
    }

    @Test
    void eachCallIsDecidedExactlyOnceWithTheTransportsUser() {
        List<JsonNode> decisions = AuditFile.ofType(scenario.audit(), "decision");
        assertThat(decisions).extracting(d -> d.path("tool").asText() + " " + d.path("action").asText() + " "
                + d.path("ctx").path("user").path("id").asText() + " " + d.path("method").asText()).containsExactly(
                "issue_refund allow alice io.modelcontextprotocol.server.McpStatelessSyncServer#tools/call",
                "issue_refund deny alice io.modelcontextprotocol.server.McpStatelessSyncServer#tools/call",
                "lookup_order allow alice io.modelcontextprotocol.server.McpStatelessSyncServer#tools/call");
        assertThat(AuditFile.ofType(scenario.audit(), "outcome")).hasSize(2);
    }

    @Test
    void theServerKeepsServingAndEndsNormally() {
        assertThat(app.exitCode()).isZero();
        assertThat(app.stderrLines()).singleElement().asString().startsWith("ToolGuard ");
    }
}
