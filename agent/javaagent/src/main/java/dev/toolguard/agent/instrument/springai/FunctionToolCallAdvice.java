package dev.toolguard.agent.instrument.springai;

import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.function.FunctionToolCallback;

/**
 * Inlined into {@code FunctionToolCallback.call(String, ToolContext)}: decides the call by the tool's name and its
 * JSON arguments before the function runs. The tool context goes to the context sources as an extra.
 */
final class FunctionToolCallAdvice {

    private FunctionToolCallAdvice() {
    }

    /** Returns the denial, which skips the body; an allowed call's ticket stays in a local for the exit. */
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.This FunctionToolCallback<?, ?> callback,
                        @Advice.Argument(0) String toolInput,
                        @Advice.Argument(1) ToolContext toolContext,
                        @Advice.Local("ticket") Object ticket) {
        Object decision = GuardBridge.enterNamed("spring-ai", callback.getToolDefinition().name(),
                "org.springframework.ai.tool.function.FunctionToolCallback#call(String,ToolContext)",
                toolInput, new Object[]{toolContext});
        if (decision instanceof ToolCallDeniedException) {
            return decision;
        }
        ticket = decision;
        return null;
    }

    /** A denial leaves as the framework's tool error; the loop hands its message to the model as the result. */
    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.This FunctionToolCallback<?, ?> callback,
                     @Advice.Enter Object denial,
                     @Advice.Local("ticket") Object ticket,
                     @Advice.Return String result,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (denial != null) {
            thrown = new ToolExecutionException(callback.getToolDefinition(), (Throwable) denial);
        } else {
            GuardBridge.exit(ticket, result, thrown);
        }
    }
}
