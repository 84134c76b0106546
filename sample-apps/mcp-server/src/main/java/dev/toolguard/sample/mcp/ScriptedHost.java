package dev.toolguard.sample.mcp;

import dev.toolguard.sample.mcp.ScriptedModel.ProposedCall;
import dev.toolguard.sample.mcp.ScriptedModel.Request;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * An MCP host, as a desktop assistant would be: it launches the support-desk server in a JVM of its own over
 * stdio, on behalf of one user (who the host passes in the server's environment, as MCP host configurations
 * do), offers the model the tools the server lists, carries out each call the model proposes and hands the
 * result back to the model.
 *
 * <p>Arguments are JVM options for the server, e.g. {@code -javaagent:toolguard-agent.jar=config=toolguard.yaml}.
 * System property {@code support.desk.server=async} runs the server with async handlers.
 */
public final class ScriptedHost {

    private ScriptedHost() {
    }

    public static void main(String[] args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SupportDeskServer.class.getName(),
                System.getProperty("support.desk.server", "sync")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerParameters server = ServerParameters.builder(java).args(command)
                .addEnvVar("SUPPORT_DESK_USER", "alice")
                .addEnvVar("SUPPORT_DESK_ROLES", "support_l1")
                .build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(line -> System.err.println("server| " + line));

        ScriptedModel model = new ScriptedModel(List.of(
                call("lookup_order", "order_id", "A-1001"),
                call("issue_refund", "customer_id", "c-1001", "amount", 150, "reason", "damaged item"),
                call("issue_refund", "customer_id", "c-1002", "amount", 900, "reason", "goodwill"),
                // a tool the model was not offered, called anyway
                call("delete_customer", "customer_id", "c-1002"),
                call("lookup_order", "order_id", "A-1002")));

        // a JVM starting with agents can take half a minute on a busy machine: more than the SDK allows by default
        McpSyncClient client = McpClient.sync(transport).initializationTimeout(Duration.ofSeconds(120))
                .requestTimeout(Duration.ofSeconds(120))
                .clientInfo(new Implementation("scripted-host", "1.0")).build();
        try {
            client.initialize();
            List<String> offered = client.listTools().tools().stream().map(Tool::name).sorted().toList();
            System.out.println("host: tools offered to the model: " + String.join(", ", offered));
            String previous = null;
            ProposedCall proposed;
            while ((proposed = model.next(new Request(offered, previous))) != null) {
                System.out.println("model> " + proposed.tool() + " " + new TreeMap<>(proposed.arguments()));
                CallToolResult result = client.callTool(new CallToolRequest(proposed.tool(), proposed.arguments()));
                // what goes back to the model in its next request: the tool's text, marked when it is an error
                previous = (Boolean.TRUE.equals(result.isError()) ? "tool error: " : "ok: ") + text(result);
                System.out.println("   " + previous);
            }
            System.out.println("model: " + model.answer());
        } finally {
            client.closeGracefully();
        }
    }

    private static String text(CallToolResult result) {
        return result.content().stream().map(ScriptedHost::text).collect(Collectors.joining("\n"));
    }

    private static String text(Content content) {
        return content instanceof TextContent t ? t.text() : content.toString();
    }

    private static ProposedCall call(String tool, Object... keyValues) {
        Map<String, Object> args = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            args.put((String) keyValues[i], keyValues[i + 1]);
        }
        return new ProposedCall(tool, args);
    }
}
