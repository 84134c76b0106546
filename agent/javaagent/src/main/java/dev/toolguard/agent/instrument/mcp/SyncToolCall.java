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
 * The handler runs only for an allowed call's ticket (GuardBridge's protocol); otherwise its result is a
 * {@code CallToolResult} with {@code isError: true} carrying the denial.
 */
final class SyncToolCall {

    private SyncToolCall() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.Argument(1) Object exchange, @Advice.Argument(2) McpSchema.CallToolRequest request,
                        @Advice.Origin("#t") String adapter, @Advice.Local("denial") Object denial) {
        Map<String, Object> arguments = request.arguments();
        // the stateless adapter passes the transport context where the session one passes the exchange
        Object verdict = GuardBridge.enterNamed("mcp", request.name(), adapter.contains("Stateless")
                        ? "io.modelcontextprotocol.server.McpStatelessSyncServer#tools/call"
                        : "io.modelcontextprotocol.server.McpSyncServer#tools/call",
                arguments == null ? Map.of() : arguments, new Object[] {exchange});
        if (verdict instanceof Throwable) {
            denial = verdict;
            return null;
        }
        return verdict;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object ticket, @Advice.Local("denial") Object denial,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown Throwable thrown) {
        if (ticket == null) {
            result = McpSchema.CallToolResult.builder()
                    .addTextContent(GuardBridge.denialText(GuardBridge.refusal(denial))).isError(true).build();
        } else {
            GuardBridge.exit(ticket, result, thrown);
        }
    }
}
