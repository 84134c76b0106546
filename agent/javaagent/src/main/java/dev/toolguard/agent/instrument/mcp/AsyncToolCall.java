package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import reactor.core.publisher.Mono;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Advice on the {@code tools/call} handler of {@code McpAsyncServer} and of {@code McpStatelessAsyncServer} (HTTP
 * without sessions): decides a call of an async tool before the SDK applies its handler. The handler is applied
 * only for an allowed call's ticket or {@link GuardBridge#PROCEED} (GuardBridge's protocol): PROCEED where this is
 * not the place to decide, for a tool this server does not have (the SDK answers that itself) or a sync tool,
 * decided where its body runs ({@link SyncToolCall}). Otherwise the handler's Mono is a {@code CallToolResult} with
 * {@code isError: true} and the denial's text: the client gets an ordinary tool result that the model reads.
 *
 * <p>An allowed call is closed at the exit, on the thread that decided it, when the SDK holds the tool's Mono: the
 * agent keeps the calls in progress per thread, and the Mono's body may run on another one, later.
 *
 * <p>The handler's first argument is the exchange (the stateless server's: the transport context), handed to
 * context sources. The two servers keep their tools as two record types of the same shape; a server only ever holds
 * its own, so the other type is never resolved.
 */
final class AsyncToolCall {

    private AsyncToolCall() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) Object exchange, @Advice.Argument(1) Object params,
                        @Advice.FieldValue("tools") List<?> tools,
                        @Advice.Origin("#t\\#tools/call") String site,
                        @Advice.Local("denial") Object denial) throws Exception {
        String name;
        Object arguments;
        if (params instanceof McpSchema.CallToolRequest request) {
            name = request.name();
            arguments = request.arguments();
        } else {
            Map<?, ?> map = (Map<?, ?>) params;
            name = (String) map.get("name");
            arguments = map.get("arguments");
        }
        Object handler = null;
        boolean served = false;
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
            if (toolName.equals(name)) {
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
        if (!served || (handler.getClass().getName().startsWith("io.modelcontextprotocol.server.Mcp")
                && handler.getClass().getName().contains("ServerFeatures$AsyncToolSpecification$$"))) {
            return GuardBridge.PROCEED; // not served here, or the SDK's adapter of a sync tool: decided where it runs
        }
        Object verdict = GuardBridge.enterNamed("mcp", name, site, arguments == null ? Map.of() : arguments,
                new Object[] {exchange});
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
            result = Mono.just(McpSchema.CallToolResult.builder()
                    .addTextContent(GuardBridge.denialText(GuardBridge.refusal(denial))).isError(true).build());
        } else {
            GuardBridge.exit(ticket, result, thrown);
        }
    }
}
