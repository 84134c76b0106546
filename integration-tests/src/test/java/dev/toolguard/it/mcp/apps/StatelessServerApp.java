package dev.toolguard.it.mcp.apps;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Map;

/**
 * A stateless MCP server of the SDK ({@code McpServer.sync(statelessTransport)}, as streamable HTTP without
 * sessions builds it), whose transport is the smallest there is: it hands each request straight to the SDK's
 * handler, with the transport context an HTTP transport's extractor would have made from the request. It
 * serves a sync tool and an async one, lists its tools, calls each, and prints what the client would receive.
 */
public final class StatelessServerApp {

    /** The transport: keeps the SDK's handler, through which the requests below are served. */
    static final class InMemoryTransport implements McpStatelessServerTransport {
        McpStatelessServerHandler handler;

        @Override
        public void setMcpHandler(McpStatelessServerHandler handler) {
            this.handler = handler;
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }
    }

    private static final String OBJECT_SCHEMA = "{\"type\":\"object\",\"properties\":{\"customerId\":{\"type\":\"string\"},"
            + "\"amount\":{\"type\":\"number\"}}}";

    private StatelessServerApp() {
    }

    public static void main(String[] args) {
        InMemoryTransport transport = new InMemoryTransport();
        McpSchema.Tool refund = McpSchema.Tool.builder().name("issue_refund").description("Refunds a customer")
                .inputSchema(io.modelcontextprotocol.json.McpJsonDefaults.getMapper(), OBJECT_SCHEMA).build();
        McpSchema.Tool lookup = McpSchema.Tool.builder().name("lookup_order").description("Looks an order up")
                .inputSchema(io.modelcontextprotocol.json.McpJsonDefaults.getMapper(), OBJECT_SCHEMA).build();
        McpStatelessSyncServer server = McpServer.sync(transport)
                .serverInfo("stateless-it", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(new McpStatelessServerFeatures.SyncToolSpecification(refund, (context, request) -> {
                    System.out.println("body ran issue_refund " + request.arguments().get("amount"));
                    return McpSchema.CallToolResult.builder().addTextContent("refunded").build();
                }))
                .build();
        server.addTool(new McpStatelessServerFeatures.SyncToolSpecification(lookup, (context, request) -> {
            System.out.println("body ran lookup_order " + request.arguments().get("customerId"));
            return McpSchema.CallToolResult.builder().addTextContent("shipped").build();
        }));

        McpTransportContext alice = McpTransportContext.create(Map.of("user_id", "alice", "roles", List.of("support")));
        McpTransportContext bob = McpTransportContext.create(Map.of("user_id", "bob", "roles", List.of("auditor")));
        System.out.println("list alice: " + respond(transport, alice, "tools/list", 1, Map.of()));
        System.out.println("list bob: " + respond(transport, bob, "tools/list", 5, Map.of()));
        System.out.println("call 150: " + respond(transport, alice, "tools/call", 2,
                Map.of("name", "issue_refund", "arguments", Map.of("customerId", "c-1", "amount", 150))));
        System.out.println("call 900: " + respond(transport, alice, "tools/call", 3,
                Map.of("name", "issue_refund", "arguments", Map.of("customerId", "c-1", "amount", 900))));
        System.out.println("call lookup: " + respond(transport, alice, "tools/call", 4,
                Map.of("name", "lookup_order", "arguments", Map.of("customerId", "c-1"))));
        server.close();
        System.out.println("done");
    }

    /** What the server answers: a tool list's names, or a call's isError and text. */
    private static String respond(InMemoryTransport transport, McpTransportContext context, String method, int id,
                                  Map<String, Object> params) {
        McpSchema.JSONRPCResponse response = transport.handler
                .handleRequest(context, new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, method, id, params))
                .block();
        if (response == null || response.error() != null) {
            return "error " + (response == null ? "none" : response.error().message());
        }
        Object result = response.result();
        if (result instanceof McpSchema.ListToolsResult list) {
            return list.tools().stream().map(McpSchema.Tool::name).sorted().toList().toString();
        }
        McpSchema.CallToolResult call = (McpSchema.CallToolResult) result;
        List<String> texts = call.content().stream()
                .map(c -> c instanceof McpSchema.TextContent t ? t.text() : c.toString()).toList();
        return "isError=" + call.isError() + " " + String.join(" ", texts);
    }
}
