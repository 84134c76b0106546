package dev.toolguard.sample.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The support desk's MCP tools: their definitions for tools/list and the handlers behind tools/call. */
final class SupportTools {

    private record Definition(Tool tool, Function<Map<String, Object>, String> body) {
    }

    private final List<Definition> definitions;

    SupportTools(SupportDesk desk, McpJsonMapper json) {
        definitions = List.of(
                new Definition(Tool.builder().name("lookup_order").description("Shows the status of an order.")
                        .inputSchema(json, """
                                {"type":"object","required":["order_id"],"properties":{"order_id":{"type":"string"}}}""")
                        // a structured result too, for clients that read it
                        .outputSchema(json, """
                                {"type":"object","required":["summary"],"properties":{"summary":{"type":"string"}}}""")
                        .build(),
                        args -> desk.lookupOrder(text(args, "order_id"))),
                new Definition(tool(json, "issue_refund", "Refunds a customer.", """
                        {"type":"object","required":["customer_id","amount"],"properties":{
                          "customer_id":{"type":"string"},"amount":{"type":"number"},"reason":{"type":"string"}}}"""),
                        args -> desk.issueRefund(text(args, "customer_id"), number(args, "amount"),
                                (String) args.get("reason"))),
                new Definition(tool(json, "export_customers", "Exports the whole customer list.", """
                        {"type":"object","properties":{"format":{"type":"string","enum":["csv","json"]}}}"""),
                        args -> desk.exportCustomers(args.getOrDefault("format", "csv").toString())),
                new Definition(tool(json, "delete_customer", "Deletes a customer and all their data.", """
                        {"type":"object","required":["customer_id"],"properties":{"customer_id":{"type":"string"}}}"""),
                        args -> desk.deleteCustomer(text(args, "customer_id"))));
    }

    /** For {@code McpServer.sync(...)}: each handler runs its body and returns the result. */
    List<SyncToolSpecification> sync() {
        return definitions.stream().map(d -> SyncToolSpecification.builder().tool(d.tool())
                .callHandler((exchange, request) -> run(d, request)).build()).toList();
    }

    /** For {@code McpServer.async(...)}: each handler returns a Mono whose body runs when it is subscribed. */
    List<AsyncToolSpecification> async() {
        return definitions.stream().map(d -> AsyncToolSpecification.builder().tool(d.tool())
                .callHandler((exchange, request) -> Mono.fromCallable(() -> run(d, request))
                        .subscribeOn(Schedulers.boundedElastic()))
                .build()).toList();
    }

    private static CallToolResult run(Definition d, CallToolRequest request) {
        Map<String, Object> args = request.arguments() == null ? Map.of() : request.arguments();
        try {
            String text = d.body().apply(args);
            CallToolResult.Builder result = CallToolResult.builder().addTextContent(text).isError(false);
            return (d.tool().outputSchema() == null ? result : result.structuredContent(Map.of("summary", text))).build();
        } catch (IllegalArgumentException bad) {
            // a tool's own failure is a tool error the model can read, not a protocol error
            return CallToolResult.builder().addTextContent(bad.getMessage()).isError(true).build();
        }
    }

    private static Tool tool(McpJsonMapper json, String name, String description, String inputSchema) {
        return Tool.builder().name(name).description(description).inputSchema(json, inputSchema).build();
    }

    private static String text(Map<String, Object> args, String name) {
        Object v = args.get(name);
        if (!(v instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("missing argument " + name);
        }
        return s;
    }

    private static double number(Map<String, Object> args, String name) {
        if (!(args.get(name) instanceof Number n)) {
            throw new IllegalArgumentException("missing argument " + name);
        }
        return n.doubleValue();
    }
}
