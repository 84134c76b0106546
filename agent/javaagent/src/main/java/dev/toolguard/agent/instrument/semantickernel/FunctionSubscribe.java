package dev.toolguard.agent.instrument.semantickernel;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import reactor.core.CoreSubscriber;

/**
 * Inlined into {@code FunctionInvocation.subscribe(CoreSubscriber)}, where Semantic Kernel starts a kernel
 * function, on whatever thread the model's reply arrived: while the function is set going, the thread carries
 * the context {@link ChatContextCapture} put into the pipeline's Reactor context. A tool method that returns a
 * {@code Mono} is called right here; any other is handed to a worker ({@link ArgumentsCarryContext}).
 */
final class FunctionSubscribe {

    private FunctionSubscribe() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) CoreSubscriber<?> subscriber) {
        return GuardBridge.adoptContext(subscriber.currentContext().getOrDefault(GuardBridge.CONTEXT_KEY, null));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
        GuardBridge.restoreContext(token);
    }
}
