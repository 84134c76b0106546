package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Enter advice on {@code McpAsyncServer}'s {@code tools/call} handler: decides a call of an async tool before the
 * SDK applies its handler. Returns the denial (the body is skipped and {@link ToolCallOutcome} returns it as a
 * tool error), the ticket of an allowed call, or null when this is not the place to decide: a tool this server
 * does not have (the SDK answers that itself), or a sync tool, decided where its body runs ({@link SyncToolCall}).
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
        boolean served = true;
        try {
            if (params instanceof Map<?, ?> map) {
                name = map.get("name") instanceof String s ? s : null;
                arguments = map.get("arguments");
            } else if (params instanceof McpSchema.CallToolRequest request) {
                name = request.name();
                arguments = request.arguments();
            }
            if (name != null) {
                Object handler = null;
                served = false;
                for (Object spec : tools) {
                    McpServerFeatures.AsyncToolSpecification tool =
                            (McpServerFeatures.AsyncToolSpecification) spec;
                    if (name.equals(tool.tool().name())) {
                        served = true;
                        handler = tool.callHandler();
                        break;
                    }
                }
                if (handler != null && handler.getClass().getName().endsWith("$StructuredOutputCallToolHandler")) {
                    // a tool with an output schema: the SDK wraps its handler (our nestmate) to check the output
                    for (Field f : handler.getClass().getDeclaredFields()) {
                        if (f.getType() == BiFunction.class) {
                            handler = f.get(handler);
                            break;
                        }
                    }
                }
                if (handler != null && handler.getClass().getName()
                        .startsWith("io.modelcontextprotocol.server.McpServerFeatures$AsyncToolSpecification$$")) {
                    return null;
                }
            }
        } catch (Throwable unreadable) {
            // what we cannot read is no reason to let the call through undecided
            served = true;
        }
        if (!served) {
            return null;
        }
        return GuardBridge.enterNamed("mcp", name, "io.modelcontextprotocol.server.McpAsyncServer#tools/call",
                arguments == null ? Map.of() : arguments, new Object[] {exchange});
    }
}
