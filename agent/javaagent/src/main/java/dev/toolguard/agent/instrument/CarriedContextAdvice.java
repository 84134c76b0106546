package dev.toolguard.agent.instrument;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the body of a task a framework runs on a worker thread of its own (Semantic Kernel's reflective
 * tool call, LangChain4j's concurrent tool call): while the body runs, the worker carries the context that one of
 * the task's arguments brought from the asking thread ({@link GuardBridge#carryContext},
 * {@link GuardBridge#carryContextIn}), so that the tool call in it is decided for the caller. The argument is found
 * by what it carries, since its place differs between frameworks and releases.
 */
public final class CarriedContextAdvice {

    private CarriedContextAdvice() {
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
