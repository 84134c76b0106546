package dev.toolguard.agent.instrument.adk;

import com.google.adk.models.LlmRequest;
import com.google.adk.tools.BaseTool;
import dev.toolguard.api.internal.GuardBridge;
import io.reactivex.rxjava3.core.Completable;
import net.bytebuddy.asm.Advice;

import java.util.List;

/**
 * Inlined into {@code BaseTool.processLlmRequest(LlmRequest.Builder, ToolContext)}, which ADK's flow calls for each
 * tool of the agent while it builds the request of every model call: the tool adds itself to the request's tools
 * (by which ADK later runs the model's function calls) and its declaration to what the model is offered. For a tool
 * the caller may not be offered only the first is done: the model is not told of it, but a call it makes anyway
 * still finds the tool, and is decided, and denied, where it runs rather than ending the run as an unknown tool.
 */
final class OfferedTools {

    private OfferedTools() {
    }

    // a failure here leaves the request as ADK makes it: discovery is a courtesy, every call is still decided
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(@Advice.This BaseTool tool, @Advice.Argument(0) LlmRequest.Builder request) {
        if (GuardBridge.discoverable(tool.name())) {
            return false;
        }
        request.appendTools(List.of(tool));
        return true;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Enter boolean hidden, @Advice.Return(readOnly = false) Completable done) {
        if (hidden) {
            done = Completable.complete();
        }
    }
}
