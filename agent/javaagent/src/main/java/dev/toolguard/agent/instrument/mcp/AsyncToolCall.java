package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Enter advice on the {@code tools/call} handler of {@code McpAsyncServer} and of {@code McpStatelessAsyncServer}
 * (HTTP without sessions): decides a call of an async tool before the SDK applies its handler. Returns the denial
 * (the body is skipped and {@link ToolCallOutcome} returns it as a tool error), the ticket of an allowed call, or
 * null when this is not the place to decide: a tool this server does not have (the SDK answers that itself), or a
 * sync tool, decided where its body runs ({@link SyncToolCall}).
 *
 * <p>The handler's first argument is the exchange (the stateless server's: the transport context), handed to
 * context sources. The two servers keep their tools as two record types of the same shape; a server only ever
 * holds its own, so the other type is never resolved. Signatures use JDK types only, so that the agent can read
 * this class without the SDK on its class path.
 */
final class AsyncToolCall {

    private AsyncToolCall() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class, skipOn = Throwable.class)
    static Object enter(@Advice.Argument(0) Object exchange, @Advice.Argument(1) Object params,
                        @Advice.FieldValue("tools") List<?> tools,
                        @Advice.Origin("#t\\#tools/call") String site) {
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
                    String toolName;
                    Object toolHandler;
                    if (spec instanceof McpServerFeatures.AsyncToolSpecification tool) {
                        toolName = tool.tool().name();
                        toolHandler = tool.callHandler();
                    } else {
                        McpStatelessServerFeatures.AsyncToolSpecification tool =
                                (McpStatelessServerFeatures.AsyncToolSpecification) spec;
                        toolName = tool.tool().name();
                        toolHandler = tool.callHandler();
                    }
                    if (name.equals(toolName)) {
                        served = true;
                        handler = toolHandler;
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
                if (handler != null && handler.getClass().getName().startsWith("io.modelcontextprotocol.server.Mcp")
                        && handler.getClass().getName().contains("ServerFeatures$AsyncToolSpecification$$")) {
                    return null; // the SDK's adapter of a sync tool: decided where the sync handler runs
                }
            }
        } catch (Throwable unreadable) {
            // what we cannot read is no reason to let the call through undecided
            served = true;
        }
        if (!served) {
            return null;
        }
        return GuardBridge.enterNamed("mcp", name, site, arguments == null ? Map.of() : arguments, new Object[] {exchange});
    }
}
