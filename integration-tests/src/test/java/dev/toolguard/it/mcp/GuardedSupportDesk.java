package dev.toolguard.it.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * One conversation of a real MCP client with the support-desk server under the agent, alice of support_l1
 * calling: the tool list, an allowed call, a denied one, two hidden tools called anyway, a tool the server does
 * not have, and one more allowed call. Each subclass runs it against one build of the sample (SDK line) and one
 * kind of server (sync or async handlers).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GuardedSupportDesk {

    private static final ObjectMapper JSON = new ObjectMapper();

    Path dir;
    SupportDeskServer server;
    List<String> offered;
    CallToolResult lookup;
    CallToolResult smallRefund;
    CallToolResult largeRefund;
    CallToolResult delete;
    CallToolResult export;
    Throwable unknown;
    CallToolResult lookupAfterDenials;

    abstract SupportDeskServer.Build build();

    abstract String mode();

    /** Where the audit says the call was served: sync tools are decided in the SDK's sync adapter. */
    String site() {
        return mode().equals("sync") ? "io.modelcontextprotocol.server.McpSyncServer#tools/call"
                : "io.modelcontextprotocol.server.McpAsyncServer#tools/call";
    }

    @BeforeAll
    void converse(@TempDir Path dir) throws IOException {
        this.dir = dir;
        server = SupportDeskServer.start(build(), mode(), SupportDeskServer.config(dir, true));
        offered = server.client.listTools().tools().stream().map(Tool::name).sorted().toList();
        lookup = call("lookup_order", Map.of("order_id", "A-1001"));
        smallRefund = call("issue_refund", Map.of("customer_id", "c-1001", "amount", 150, "reason", "damaged item"));
        largeRefund = call("issue_refund", Map.of("customer_id", "c-1002", "amount", 900, "reason", "goodwill"));
        delete = call("delete_customer", Map.of("customer_id", "c-1002"));
        export = call("export_customers", Map.of("format", "csv"));
        unknown = catchThrowable(() -> call("close_account", Map.of("customer_id", "c-1002")));
        lookupAfterDenials = call("lookup_order", Map.of("order_id", "A-1002"));
        // the support desk logs each action to standard error in order: once the last one is there, so is any earlier
        await().atMost(Duration.ofSeconds(30)).until(() -> server.stderr().contains("support-desk: looked up order A-1002"));
    }

    @AfterAll
    void disconnect() {
        if (server != null) {
            server.close();
        }
    }

    private CallToolResult call(String tool, Map<String, Object> arguments) {
        return server.client.callTool(new CallToolRequest(tool, arguments));
    }

    @Test
    void theToolListLeavesOutWhatTheRolesDoNotGrantAndWhatIsForbidden() {
        assertThat(offered).containsExactly("issue_refund", "lookup_order");
    }

    @Test
    void anAllowedCallRunsItsHandlerAndTheClientGetsItsResult() {
        assertThat(lookup.isError()).isFalse();
        assertThat(text(lookup)).isEqualTo("order A-1001: 2 items, shipped 2026-11-20");
        assertThat(lookup.structuredContent()).isEqualTo(Map.of("summary", "order A-1001: 2 items, shipped 2026-11-20"));
        assertThat(text(smallRefund)).isEqualTo("refunded 150.00 to c-1001 (damaged item)");
        assertThat(server.stderr()).contains("support-desk: looked up order A-1001", "support-desk: refunded 150.00 to c-1001");
    }

    @Test
    void aDeniedCallIsAToolErrorCarryingTheDenialAndItsHandlerNeverRuns() {
        assertThat(largeRefund.isError()).isTrue();
        assertThat(text(largeRefund)).isEqualTo("Denied by policy support-desk: refund amount not allowed for your role"
                + " [tools.issue_refund.rules[2]]");
        assertThat(server.stderr()).noneMatch(line -> line.contains("refunded 900.00"));
    }

    @Test
    void aHiddenToolCalledAnywayIsDeniedAsAToolError() {
        assertThat(delete.isError()).isTrue();
        assertThat(text(delete)).isEqualTo("Denied by policy support-desk: destructive operations are not available"
                + " to agents [forbid[0]]");
        assertThat(export.isError()).isTrue();
        assertThat(text(export)).startsWith("Denied by policy support-desk: ").endsWith("[roles]");
        assertThat(server.stderr()).noneMatch(line -> line.contains("deleted customer") || line.contains("exported"));
    }

    @Test
    void aToolTheServerDoesNotHaveIsLeftToTheSdk() {
        assertThat(unknown).isInstanceOf(McpError.class).hasMessageContaining("Unknown tool");
        assertThat(decisions()).noneMatch(d -> d.path("tool").asText().equals("close_account"));
    }

    @Test
    void theServerGoesOnServingAfterTheDenials() {
        assertThat(lookupAfterDenials.isError()).isFalse();
        assertThat(text(lookupAfterDenials)).isEqualTo("order A-1002: 1 item, awaiting payment");
        server.client.ping();
    }

    /** One decision per call, also for lookup_order, whose output schema makes the SDK wrap its handler. */
    @Test
    void eachCallHasADecisionRecordWithTheCallersContext() {
        List<JsonNode> decisions = decisions();
        assertThat(decisions).extracting(d -> d.path("tool").asText() + " " + d.path("action").asText()).containsExactly(
                "lookup_order allow", "issue_refund allow", "issue_refund deny", "delete_customer deny",
                "export_customers deny", "lookup_order allow");
        JsonNode denied = decisions.get(2);
        assertThat(decisions).extracting(d -> d.path("method").asText()).containsOnly(site());
        assertThat(denied.path("args").path("amount").asInt()).isEqualTo(900);
        assertThat(denied.path("args").path("customer_id").asText()).isEqualTo("c-1002");
        assertThat(denied.path("ctx").path("user").path("id").asText()).isEqualTo("alice");
        assertThat(denied.path("ctx").path("user").path("roles").toString()).isEqualTo("[\"support_l1\"]");
        // the mcp source: the client's name from the handshake is its own claim, kept under mcp.client and never
        // taken for the agent or the user (any client may say it is anything); the MCP session, the same for every call
        assertThat(denied.path("ctx").path("mcp").path("client").path("name").asText()).isEqualTo("toolguard-it");
        assertThat(denied.path("ctx").path("mcp").path("client").path("version").asText()).isEqualTo("1.0");
        assertThat(decisions).allSatisfy(d -> assertThat(d.path("ctx").has("agent")).isFalse());
        assertThat(decisions).extracting(d -> d.path("ctx").path("session").path("id").asText())
                .allSatisfy(id -> assertThat(id).isNotBlank()).containsOnly(denied.path("ctx").path("session").path("id").asText());
        assertThat(denied.path("rule").asText()).isEqualTo("tools.issue_refund.rules[2]");
        assertThat(denied.path("reason").asText()).isEqualTo("refund amount not allowed for your role");
        assertThat(decisions.get(3).path("rule").asText()).isEqualTo("forbid[0]");
        assertThat(decisions.get(4).path("rule").asText()).isEqualTo("roles");
    }

    @Test
    void eachAllowedCallHasAnOutcomeRecord() {
        await().atMost(Duration.ofSeconds(10)).until(() -> records("outcome").size() == 3);
        List<String> allowedIds = decisions().stream().filter(d -> d.path("action").asText().equals("allow"))
                .map(d -> d.path("id").asText()).toList();
        assertThat(records("outcome")).allSatisfy(o -> assertThat(o.path("status").asText()).isEqualTo("ok"))
                .extracting(o -> o.path("id").asText()).containsExactlyElementsOf(allowedIds);
    }

    @Test
    void theAgentSpeaksOnlyOnStandardErrorLeavingStandardOutputToTheProtocol() {
        // a line of ours on standard output would have broken the client's parsing of the calls above
        assertThat(server.stderr()).anyMatch(line -> line.startsWith("ToolGuard ") && line.contains("policy support-desk"));
    }

    static String text(CallToolResult result) {
        assertThat(result.content()).singleElement().isInstanceOf(TextContent.class);
        return ((TextContent) result.content().get(0)).text();
    }

    List<JsonNode> decisions() {
        return records("decision");
    }

    List<JsonNode> records(String type) {
        Path audit = dir.resolve("audit.jsonl");
        try {
            if (!Files.exists(audit)) {
                return List.of();
            }
            return Files.readAllLines(audit).stream().filter(l -> l.contains("\"type\":\"" + type + "\""))
                    .map(GuardedSupportDesk::parse).filter(r -> r.path("type").asText().equals(type)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
