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
 * The advice inlined into every tool method. It asks the bridge before the body runs and, on a denial, skips
 * the body and throws the denial in its place; otherwise it reports the outcome once the body is done.
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

    @Advice.OnMethodEnter(skipOn = ToolCallDeniedException.class, suppress = Throwable.class)
    static Object enter(@ToolId int toolId, @Advice.This(optional = true) Object self,
                        @Advice.AllArguments Object[] args) {
        return GuardBridge.enter(toolId, self, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object verdict,
                     @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (verdict instanceof ToolCallDeniedException) {
            thrown = (ToolCallDeniedException) verdict;
        } else {
            GuardBridge.exit(verdict, returned, thrown);
        }
    }
}
