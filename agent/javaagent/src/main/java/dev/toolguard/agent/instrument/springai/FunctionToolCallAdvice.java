package dev.toolguard.agent.instrument.springai;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.ai.tool.function.FunctionToolCallback;

/**
 * Inlined into {@code FunctionToolCallback.call(String, ToolContext)}: decides the call by the tool's name and its
 * JSON arguments before the function runs. The tool context goes to the context sources as an extra. The function
 * runs only for an allowed call's ticket (GuardBridge's protocol); otherwise the denial leaves as Spring AI's tool
 * error, whose message the tool-calling loop hands to the model as the result.
 */
final class FunctionToolCallAdvice {

    private FunctionToolCallAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.This FunctionToolCallback<?, ?> callback,
                        @Advice.Argument(0) String toolInput,
                        @Advice.Argument(1) ToolContext toolContext,
                        @Advice.Local("denial") Object denial) {
        Object verdict = GuardBridge.enterNamed("spring-ai", callback.getToolDefinition().name(),
                "org.springframework.ai.tool.function.FunctionToolCallback#call(String,ToolContext)",
                toolInput, new Object[]{toolContext});
        if (verdict instanceof Throwable) {
            denial = verdict;
            return null;
        }
        return verdict;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.This FunctionToolCallback<?, ?> callback,
                     @Advice.Enter Object ticket,
                     @Advice.Local("denial") Object denial,
                     @Advice.Return String result,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (ticket == null) {
            thrown = new ToolExecutionException(callback.getToolDefinition(), GuardBridge.refusal(denial));
        } else {
            GuardBridge.exit(ticket, result, thrown);
        }
    }
}
