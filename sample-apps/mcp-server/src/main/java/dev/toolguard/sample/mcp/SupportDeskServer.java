package dev.toolguard.sample.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;

/**
 * The support-desk MCP server over stdio. {@code async} as the first argument builds it with
 * {@code McpServer.async} and Mono handlers; otherwise with {@code McpServer.sync}. It serves until its
 * client closes standard input or ends the process.
 */
public final class SupportDeskServer {

    private SupportDeskServer() {
    }

    public static void main(String[] args) {
        boolean async = args.length > 0 && args[0].equals("async");
        McpJsonMapper json = McpJsonDefaults.getMapper();
        SupportTools tools = new SupportTools(new SupportDesk(System.err), json);
        StdioServerTransportProvider transport = new StdioServerTransportProvider(json);
        ServerCapabilities capabilities = ServerCapabilities.builder().tools(true).build();
        if (async) {
            McpServer.async(transport).serverInfo("support-desk", "1.0").capabilities(capabilities)
                    .tools(tools.async()).build();
        } else {
            McpServer.sync(transport).serverInfo("support-desk", "1.0").capabilities(capabilities)
                    .tools(tools.sync()).build();
        }
        System.err.println("support-desk: serving " + (async ? "async" : "sync") + " tools over stdio");
        // the transport's reader thread keeps the JVM alive while the client is connected
    }
}
