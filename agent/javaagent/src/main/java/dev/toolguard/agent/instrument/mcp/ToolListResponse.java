package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.util.ArrayList;
import java.util.List;

/**
 * Enter advice on the constructor of {@code JSONRPCResponse(jsonrpc, id, result, error)}: when the result is a
 * server's {@code ListToolsResult}, it is replaced by a copy without the tools the caller may never call
 * ({@code GuardBridge.discoverable}). A client reads responses as plain JSON, so only a server's own lists are
 * ever seen here. Installed only with {@code filter_discovery}.
 */
final class ToolListResponse {

    private ToolListResponse() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 2, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result) {
        if (!(result instanceof McpSchema.ListToolsResult listed) || listed.tools() == null) {
            return;
        }
        List<McpSchema.Tool> offered = new ArrayList<>();
        for (McpSchema.Tool tool : listed.tools()) {
            if (GuardBridge.discoverable(tool.name())) {
                offered.add(tool);
            }
        }
        if (offered.size() != listed.tools().size()) {
            result = new McpSchema.ListToolsResult(offered, listed.nextCursor(), listed.meta());
        }
    }
}
