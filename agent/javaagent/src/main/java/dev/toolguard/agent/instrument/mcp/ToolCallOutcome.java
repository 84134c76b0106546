package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import reactor.core.publisher.Mono;

/**
 * Exit advice on the {@code tools/call} handlers, after {@link AsyncToolCall}
 * (async tools).
 *
 * <p>A denied call returns {@code Mono.just(CallToolResult)} with {@code isError: true} and the denial text: the
 * client gets an ordinary tool result that the model reads, and the server goes on serving.
 *
 * <p>An allowed call is closed here, on the thread that decided it, when the SDK has applied the tool's handler
 * and holds the tool's Mono: the agent keeps the calls in progress per thread, so the exit must come from the
 * thread of the enter, and the Mono's body may run on another one, later.
 */
final class ToolCallOutcome {

    private ToolCallOutcome() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object decision,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown Throwable thrown) {
        if (decision instanceof Throwable) {
            result = Mono.just(McpSchema.CallToolResult.builder()
                    .addTextContent(GuardBridge.denialText(decision)).isError(true).build());
        } else if (decision != null) {
            GuardBridge.exit(decision, result, thrown);
        }
    }
}
