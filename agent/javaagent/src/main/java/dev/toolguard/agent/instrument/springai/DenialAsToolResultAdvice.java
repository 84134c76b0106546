package dev.toolguard.agent.instrument.springai;

import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import org.springframework.ai.tool.execution.ToolExecutionException;

/**
 * Inlined into {@code DefaultToolExecutionExceptionProcessor.process(ToolExecutionException)}: a tool error whose
 * cause is a denial becomes the denial's text, the tool's result for the model, whatever the processor was told
 * to rethrow. Other tool errors are processed as the application configured.
 */
final class DenialAsToolResultAdvice {

    private DenialAsToolResultAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static String enter(@Advice.Argument(0) ToolExecutionException exception) {
        Throwable cause = exception == null ? null : exception.getCause();
        return cause instanceof ToolCallDeniedException ? GuardBridge.denialText(cause) : null;
    }

    @Advice.OnMethodExit
    static void exit(@Advice.Enter String denialText, @Advice.Return(readOnly = false) String result) {
        if (denialText != null) {
            result = denialText;
        }
    }
}
