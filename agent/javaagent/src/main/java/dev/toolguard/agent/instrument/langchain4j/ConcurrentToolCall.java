package dev.toolguard.agent.instrument.langchain4j;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the body of the task {@code executeConcurrently} hands to the executor,
 * {@code lambda$executeConcurrently$N(...)}, which runs one tool call on a worker thread: the worker carries the
 * context the task's map of executors brought ({@link ConcurrentToolCalls}) while the call is decided and runs.
 * The map is found by its type, since its place among the lambda's arguments differs between releases.
 */
final class ConcurrentToolCall {

    private ConcurrentToolCall() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.AllArguments Object[] arguments) {
        for (Object argument : arguments) {
            Object captured = GuardBridge.carriedBy(argument);
            if (captured != null) {
                return GuardBridge.adoptContext(captured);
            }
        }
        return null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object token) {
        GuardBridge.restoreContext(token);
    }
}
