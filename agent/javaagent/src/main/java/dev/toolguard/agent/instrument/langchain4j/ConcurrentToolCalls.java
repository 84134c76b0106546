package dev.toolguard.agent.instrument.langchain4j;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.util.Map;

/**
 * Inlined into {@code ToolService.executeConcurrently(requests, executors, ...)} (LangChain4j 1.4 and later, with
 * {@code executeToolsConcurrently()}), on the thread that asked the model, before the calls are handed to the
 * executor's threads: the map of executors each task keeps is given the current context, for
 * {@link dev.toolguard.agent.instrument.CarriedContextAdvice} to adopt where the task runs. Without it, a tool run
 * concurrently would be decided with the worker thread's context, where nobody is signed in.
 */
final class ConcurrentToolCalls {

    private ConcurrentToolCalls() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC)
                      Map<Object, Object> executors) {
        executors = GuardBridge.carryContextIn(executors);
    }
}
