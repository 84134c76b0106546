package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.util.Map;

/**
 * Advice on the SDK's sync-to-async adapter ({@code AsyncToolSpecification.fromSync}): the callable that runs a
 * {@code SyncToolSpecification}'s handler, {@code lambda$fromSync$0(spec, exchange, request)}. It runs on the
 * thread of the tool's body (Reactor's bounded-elastic scheduler, or the caller's with
 * {@code immediateExecution}), so the decision, the body and the outcome happen there in order, and a guarded
 * method the handler calls for the same tool (a Spring AI {@code @Tool} behind an MCP tool) is not decided twice.
 * A denial is the handler's result: a {@code CallToolResult} with {@code isError: true}.
 */
final class SyncToolCall {

    private SyncToolCall() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Throwable.class)
    static Object enter(@Advice.Argument(1) Object exchange, @Advice.Argument(2) Object request,
                        @Advice.Origin("#t") String adapter) {
        String name = null;
        Object arguments = null;
        try {
            McpSchema.CallToolRequest call = (McpSchema.CallToolRequest) request;
            name = call.name();
            arguments = call.arguments();
        } catch (Throwable unreadable) {
            // no name: the agent denies a call it cannot name
        }
        // the stateless adapter passes the transport context where the session one passes the exchange
        String site = adapter.contains("Stateless") ? "io.modelcontextprotocol.server.McpStatelessSyncServer#tools/call"
                : "io.modelcontextprotocol.server.McpSyncServer#tools/call";
        return GuardBridge.enterNamed("mcp", name, site, arguments == null ? Map.of() : arguments, new Object[] {exchange});
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object decision,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown Throwable thrown) {
        if (decision instanceof Throwable) {
            result = McpSchema.CallToolResult.builder()
                    .addTextContent(GuardBridge.denialText(decision)).isError(true).build();
        } else {
            GuardBridge.exit(decision, result, thrown);
        }
    }
}
