package dev.toolguard.agent.instrument.embabel;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.ToolCallback;

import java.lang.reflect.Field;

/**
 * Inlined into {@code SpringToolCallbackAdapter.call(String, ToolContext)}, through which Spring AI's
 * {@code ChatClient} runs an Embabel tool where Embabel hands it the tools (its thinking and streaming paths; its
 * own tool loop calls the tools directly): decides the call by the tool's name and the model's JSON arguments. The
 * Spring AI tool context goes to the context sources as an extra.
 *
 * <p>An Embabel tool that wraps a Spring AI {@code @Tool} method or {@code FunctionToolCallback} proceeds: the
 * Spring AI module decides it where it runs. A denied call's tool is never called; the adapter returns the denial as
 * the tool's result text, which Spring AI gives the model as the tool's response.
 */
final class AdaptedToolCall {

    private AdaptedToolCall() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.This ToolCallback adapter,
                        @Advice.Argument(0) String input,
                        @Advice.Argument(1) ToolContext toolContext,
                        @Advice.Local("denial") Object denial) throws Exception {
        // the Embabel tool adapted, and the innermost tool under its decorators (those that are DelegatingTools)
        Field adapted = adapter.getClass().getDeclaredField("tool");
        adapted.setAccessible(true);
        Object leaf = adapted.get(adapter);
        ClassLoader embabel = adapter.getClass().getClassLoader();
        Class<?> delegating = null;
        try {
            delegating = Class.forName("com.embabel.agent.api.tool.DelegatingTool", false, embabel);
        } catch (ClassNotFoundException olderEmbabel) {
            // an Embabel older than DelegatingTool: nothing to unwrap
        }
        for (int depth = 0; delegating != null && delegating.isInstance(leaf) && depth < 64; depth++) {
            leaf = delegating.getMethod("getDelegate").invoke(leaf);
        }
        if (leaf != null && leaf.getClass().getName().equals("com.embabel.agent.spi.support.springai.SpringToolCallbackWrapper")) {
            Field wrapped = leaf.getClass().getDeclaredField("callback");
            wrapped.setAccessible(true);
            Object callback = wrapped.get(leaf);
            if (callback instanceof org.springframework.ai.tool.function.FunctionToolCallback
                    || callback instanceof org.springframework.ai.tool.method.MethodToolCallback) {
                return GuardBridge.PROCEED;
            }
        }
        Object verdict = GuardBridge.enterNamed("embabel", adapter.getToolDefinition().name(),
                EmbabelModule.ADAPTER + "#call(String,ToolContext)",
                input == null || input.isBlank() ? "{}" : input, new Object[] {toolContext});
        if (verdict instanceof Throwable) {
            denial = verdict;
            return null;
        }
        return verdict;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object ticket,
                     @Advice.Local("denial") Object denial,
                     @Advice.Return(readOnly = false) String result,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (ticket == null) {
            // also when the advice above failed: refusal(null) is the failure's own denial
            result = GuardBridge.denialText(GuardBridge.refusal(denial));
            thrown = null;
        } else {
            GuardBridge.exit(ticket, result, thrown);
        }
    }
}
