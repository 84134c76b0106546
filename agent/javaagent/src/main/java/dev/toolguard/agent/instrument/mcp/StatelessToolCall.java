package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

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
                    McpStatelessServerFeatures.AsyncToolSpecification tool =
                            (McpStatelessServerFeatures.AsyncToolSpecification) spec;
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
        return GuardBridge.enterNamed("mcp", name, "io.modelcontextprotocol.server.McpStatelessAsyncServer#tools/call",
                arguments == null ? Map.of() : arguments, new Object[] {transportContext});
    }
}
