package dev.toolguard.agent.instrument.embabel;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.reflect.Field;

/**
 * Inlined into {@code DefaultToolLoop.executeToolCall(Tool, ToolCall)}, by which Embabel's tool loop runs each tool
 * call the model makes: decides it by the call's tool name and JSON arguments (the model's own) before the tool,
 * under all of Embabel's decorators, is called. The tool goes to the context sources as an extra.
 *
 * <p>A Spring AI {@code @Tool} method or {@code FunctionToolCallback} wrapped as an Embabel tool proceeds here: the
 * Spring AI module decides it where it runs, so that it is decided once.
 *
 * <p>A denied call's tool is never called; the method returns what it returns for a tool's text result, with the
 * denial as the text: 0.5 a {@code Pair(Tool.Result.Text, text)}, 0.3 the text. The loop adds it to the
 * conversation as the tool's response, so the model reads the denial and the loop goes on. Should that result not
 * be made, the refusal is thrown instead, which ends the loop's run: still no call.
 */
final class LoopToolCall {

    private LoopToolCall() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.Origin Class<?> loop,
                        @Advice.Argument(0) Object tool,
                        @Advice.Argument(1) Object toolCall,
                        @Advice.Local("denial") Object denial) throws Exception {
        ClassLoader embabel = loop.getClassLoader();
        // the innermost tool under Embabel's decorators (those that are DelegatingTools)
        Object leaf = tool;
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
            String kind = callback == null ? "" : callback.getClass().getName();
            if (kind.equals("org.springframework.ai.tool.function.FunctionToolCallback")
                    || kind.equals("org.springframework.ai.tool.method.MethodToolCallback")) {
                return GuardBridge.PROCEED;
            }
        }
        Class<?> call = Class.forName("com.embabel.chat.ToolCall", false, embabel);
        String name = (String) call.getMethod("getName").invoke(toolCall);
        String arguments = (String) call.getMethod("getArguments").invoke(toolCall);
        Object verdict = GuardBridge.enterNamed("embabel", name, EmbabelModule.TOOL_LOOP + "#executeToolCall",
                arguments == null || arguments.isBlank() ? "{}" : arguments, new Object[] {tool});
        if (verdict instanceof Throwable) {
            denial = verdict;
            return null;
        }
        return verdict;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Origin Class<?> loop,
                     @Advice.Origin("#r") String returned,
                     @Advice.Enter Object ticket,
                     @Advice.Local("denial") Object denial,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (ticket != null) {
            GuardBridge.exit(ticket, result, thrown);
            return;
        }
        // also when the advice above failed: refusal(null) is the failure's own denial
        RuntimeException refusal = GuardBridge.refusal(denial);
        String text = GuardBridge.denialText(refusal);
        try {
            if (returned.equals("java.lang.String")) {
                result = text;
            } else {
                ClassLoader embabel = loop.getClassLoader();
                Object toolResult = Class.forName("com.embabel.agent.api.tool.Tool$Result$Text", false, embabel)
                        .getConstructor(String.class).newInstance(text);
                result = Class.forName("kotlin.Pair", false, embabel).getConstructor(Object.class, Object.class)
                        .newInstance(toolResult, text);
            }
            thrown = null;
        } catch (Throwable cannotMakeTheResult) {
            thrown = refusal;
        }
    }
}
