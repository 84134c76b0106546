package dev.toolguard.agent.instrument.adk;

import com.google.adk.tools.FunctionTool;
import com.google.adk.tools.ToolContext;
import dev.toolguard.api.internal.GuardBridge;
import io.reactivex.rxjava3.core.Single;
import net.bytebuddy.asm.Advice;

import java.util.Map;

/**
 * Inlined into {@code FunctionTool.runAsync(Map, ToolContext)}: decides the call by the tool's name and the model's
 * arguments by name before the tool's method is invoked. The tool context goes to the context sources as an extra.
 * The method runs only for an allowed call's ticket (GuardBridge's protocol). Otherwise the call returns ADK's error
 * result, {@code {"error": <the denial's text>}} (the shape {@code FunctionTool} itself returns for a rejected
 * confirmation), which ADK hands the model as the tool's function response, so the agent's run goes on.
 */
final class FunctionToolCall {

    private FunctionToolCall() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.This FunctionTool tool,
                        @Advice.Argument(0) Map<String, Object> args,
                        @Advice.Argument(1) ToolContext toolContext,
                        @Advice.Local("denial") Object denial) {
        Object verdict = GuardBridge.enterNamed("adk", tool.name(), AdkModule.SITE,
                args == null ? Map.of() : args, new Object[] {toolContext});
        if (verdict instanceof Throwable) {
            denial = verdict;
            return null;
        }
        return verdict;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object ticket,
                     @Advice.Local("denial") Object denial,
                     @Advice.Return(readOnly = false) Single<Map<String, Object>> result,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (ticket == null) {
            // also when the advice above failed: refusal(null) is the failure's own denial
            Map<String, Object> error = Map.of("error", String.valueOf(GuardBridge.refusal(denial).getMessage()));
            result = Single.just(error);
            thrown = null;
        } else {
            GuardBridge.exit(ticket, result, thrown);
        }
    }
}
