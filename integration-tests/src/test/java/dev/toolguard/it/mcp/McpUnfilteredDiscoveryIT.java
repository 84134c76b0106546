package dev.toolguard.it.mcp;

import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code filter_discovery: false} the client sees every tool the server has; calls are decided all the same. */
class McpUnfilteredDiscoveryIT {

    @TempDir
    Path dir;

    @Test
    void theToolListIsTheServersOwnAndAForbiddenToolIsStillDenied() throws Exception {
        try (SupportDeskServer server = SupportDeskServer.start(SupportDeskServer.Build.SDK_2, "sync",
                SupportDeskServer.config(dir, false))) {
            assertThat(server.client.listTools().tools()).extracting(Tool::name)
                    .containsExactlyInAnyOrder("lookup_order", "issue_refund", "export_customers", "delete_customer");
            CallToolResult delete = server.client.callTool(new CallToolRequest("delete_customer", Map.of("customer_id", "c-1")));
            assertThat(delete.isError()).isTrue();
            assertThat(GuardedSupportDesk.text(delete)).endsWith("[forbid[0]]");
        }
    }
}
