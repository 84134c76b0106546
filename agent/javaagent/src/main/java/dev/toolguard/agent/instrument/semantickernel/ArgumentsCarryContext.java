package dev.toolguard.agent.instrument.semantickernel;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

import java.util.List;

/**
 * Inlined into {@code KernelFunctionFromMethod.invokeAsyncFunction(Method, Object, List)}, which wraps the
 * reflective call of a tool method in a callable that runs on {@code Schedulers.boundedElastic()}: the argument
 * list the callable keeps is given the current context, for
 * {@link dev.toolguard.agent.instrument.CarriedContextAdvice} to adopt on the worker.
 */
final class ArgumentsCarryContext {

    private ArgumentsCarryContext() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 2, readOnly = false) List<Object> args) {
        args = GuardBridge.carryContext(args);
    }
}
