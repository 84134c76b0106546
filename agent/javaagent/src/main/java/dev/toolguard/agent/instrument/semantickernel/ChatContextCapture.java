package dev.toolguard.agent.instrument.semantickernel;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Inlined into {@code OpenAIChatCompletion.internalChatMessageContentsAsync(messages, kernel, invocationContext)},
 * through which every chat with the model starts, on the thread that asked: captures that thread's context and
 * writes it into the Reactor context of the returned pipeline, which carries it to whatever thread later calls
 * a tool for this chat ({@link FunctionSubscribe}).
 */
final class ChatContextCapture {

    private ChatContextCapture() {
    }

    // a failure here leaves the chat as it was: its tool calls are still decided, without the caller's context
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Mono<?> chat) {
        Object captured = GuardBridge.captureContext();
        if (chat != null && captured != null) {
            chat = chat.contextWrite(Context.of(GuardBridge.CONTEXT_KEY, captured));
        }
    }
}
