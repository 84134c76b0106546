package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;

import java.util.List;
import java.util.Map;

/**
 * Enter advice on {@code McpStatelessAsyncServer}'s {@code tools/call} handler (HTTP without sessions), as
 * {@link SessionToolCall} is on the session server's, with the transport context where that has the exchange.
 */
final class StatelessToolCall {

    private StatelessToolCall() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Throwable.class)
    static Object enter(@Advice.Argument(0) Object transportContext, @Advice.Argument(1) Object params,
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
                    if (name.equals(((McpStatelessServerFeatures.AsyncToolSpecification) spec).tool().name())) {
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
        return GuardBridge.enterNamed("mcp", name, "io.modelcontextprotocol.server.McpStatelessAsyncServer#tools/call",
                arguments == null ? Map.of() : arguments, new Object[] {transportContext});
    }
}
