package dev.toolguard.agent.instrument.semantickernel;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the body of the callable {@code invokeAsyncFunction} creates,
 * {@code lambda$invokeAsyncFunction$N(Method, Object, List)}, which calls the tool method on a worker thread:
 * the worker carries the context its argument list brought ({@link ArgumentsCarryContext}) while the tool method,
 * and so its guard, runs.
 */
final class CarriedToolCall {

    private CarriedToolCall() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(2) Object args) {
        return GuardBridge.adoptContext(GuardBridge.carriedBy(args));
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
        GuardBridge.restoreContext(token);
    }
}
