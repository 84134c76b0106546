package dev.toolguard.agent.instrument.semantickernel;

import dev.toolguard.api.ToolCallDeniedException;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code OpenAIChatCompletion.emitError(toolCall, messages, Throwable)}, which tells the model a tool
 * call failed with {@code "Call failed: " + e.getMessage()}. Semantic Kernel wraps what a tool method threw in an
 * exception of its own ({@code "Function threw an exception: issueRefund"}); for a denial the model is given the
 * denial's text instead, so that it can tell the user why and go on (SPEC §8).
 */
final class DenialAsToolError {

    private DenialAsToolError() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 2, readOnly = false) Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
            if (t instanceof ToolCallDeniedException) {
                failure = t;
                return;
            }
        }
    }
}
