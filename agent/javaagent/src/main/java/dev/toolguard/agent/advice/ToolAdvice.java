package dev.toolguard.agent.advice;

import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The advice inlined into every tool method. It asks the bridge before the body runs; the body runs only when the
 * answer is an allowed call's ticket. Anything else (a denial, or a failure of this advice itself, which ByteBuddy
 * suppresses into a null) skips the body, and the exit throws the denial in its place (GuardBridge's protocol).
 *
 * <p>Inlined code may reference only bootstrap types ({@link GuardBridge}, {@link ToolCallDeniedException})
 * and its own parameters: it runs inside the application's classes, in their class loader.
 */
public final class ToolAdvice {

    /** The tool's id in the agent's registry, bound as a constant when the method is instrumented. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    public @interface ToolId {
    }

    private ToolAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@ToolId int toolId, @Advice.This(optional = true) Object self,
                        @Advice.AllArguments Object[] args, @Advice.Local("denial") Object denial) {
        Object verdict = GuardBridge.enter(toolId, self, args);
        if (verdict instanceof Throwable) {
            denial = verdict;
            return null;
        }
        return verdict;
    }

    // not suppressed: what fails here reaches the caller, and the body has not run
    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object ticket, @Advice.Local("denial") Object denial,
                     @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (ticket == null) {
            thrown = GuardBridge.refusal(denial);
        } else {
            GuardBridge.exit(ticket, returned, thrown);
        }
    }
}
