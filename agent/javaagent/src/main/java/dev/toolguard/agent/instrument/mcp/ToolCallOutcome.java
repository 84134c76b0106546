package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import reactor.core.publisher.Mono;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;

/**
 * Exit advice on the {@code tools/call} handlers, after {@link SessionToolCall} or {@link StatelessToolCall}.
 *
 * <p>A denied call returns {@code Mono.just(CallToolResult)} with {@code isError: true} and the denial text: the
 * client gets an ordinary tool result that the model reads, and the server goes on serving.
 *
 * <p>An allowed call returns the tool's Mono, whose body runs when the SDK subscribes to it, possibly on another
 * thread; so the outcome is recorded when that Mono completes or fails, not when the handler returns. Advice can
 * hold no lambdas, so the callbacks are {@link MethodHandleProxies} of {@code GuardBridge.exit} bound to the ticket.
 */
final class ToolCallOutcome {

    private ToolCallOutcome() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void exit(@Advice.Enter Object decision,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown Throwable thrown) {
        if (decision == null) {
            return;
        }
        if (decision instanceof Throwable) {
            result = Mono.just(McpSchema.CallToolResult.builder()
                    .addTextContent(GuardBridge.denialText(decision)).isError(true).build());
            return;
        }
        if (thrown != null || !(result instanceof Mono)) {
            GuardBridge.exit(decision, result, thrown);
            return;
        }
        try {
            MethodHandle exit = MethodHandles.publicLookup().findStatic(GuardBridge.class, "exit",
                    MethodType.methodType(void.class, Object.class, Object.class, Throwable.class));
            Consumer completed = MethodHandleProxies.asInterfaceInstance(Consumer.class,
                    MethodHandles.insertArguments(MethodHandles.insertArguments(exit, 2, (Object) null), 0, decision));
            Consumer failed = MethodHandleProxies.asInterfaceInstance(Consumer.class,
                    MethodHandles.insertArguments(exit, 0, decision, null));
            result = ((Mono) result).doOnSuccess(completed).doOnError(failed);
        } catch (Throwable cannotWatch) {
            // the call goes ahead as the SDK built it; its outcome is recorded now rather than lost
            GuardBridge.exit(decision, result, null);
        }
    }
}
