package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;

import java.util.List;
import java.util.Map;

/**
 * Enter advice on {@code McpAsyncServer}'s {@code tools/call} handler: decides the call before the SDK looks the
 * tool up. Returns the denial (the body is skipped and {@link ToolCallOutcome} returns it as a tool error), the
 * ticket of an allowed call, or null for a tool this server does not have (the SDK answers that itself).
 * Signatures use JDK types only, so that the agent can read this class without the SDK on its class path.
 */
final class SessionToolCall {

    private SessionToolCall() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Throwable.class)
    static Object enter(@Advice.Argument(0) Object exchange, @Advice.Argument(1) Object params,
                        @Advice.FieldValue("tools") List<?> tools) {
        String name = null;
        Object arguments = null;
        if (params instanceof McpSchema.CallToolRequest request) {
            name = request.name();
            arguments = request.arguments();
        } else if (params instanceof Map<?, ?> map) {
            name = map.get("name") instanceof String s ? s : null;
            arguments = map.get("arguments");
        }
        if (name != null) {
            boolean served = false;
            try {
                for (Object spec : tools) {
                    if (name.equals(((McpServerFeatures.AsyncToolSpecification) spec).tool().name())) {
                        served = true;
                        break;
                    }
                }
            } catch (RuntimeException unreadable) {
                // a tool list we cannot read is no reason to let the call through unguarded
                served = true;
            }
            if (!served) {
                return null;
            }
        }
        return GuardBridge.enterNamed("mcp", name, "io.modelcontextprotocol.server.McpAsyncServer#tools/call",
                arguments == null ? Map.of() : arguments, new Object[] {exchange});
    }
}
