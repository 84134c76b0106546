package dev.toolguard.agent.instrument.quarkus;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

import java.util.Iterator;
import java.util.List;

/**
 * Enter advice on the {@code createChatRequest} of an AI service call's first request: removes from the call's
 * tool list the tools the caller may not be offered. The list is the call's own copy (of the service's tools, the
 * method's {@code @ToolBox} or the tool providers'), which the tool loop sends again on every later request, so
 * it is filtered in place, once per call. The executors stay registered: a call the model makes to a hidden tool
 * anyway is decided, and denied, where it runs.
 */
final class OfferedTools {

    private OfferedTools() {
    }

    // a failure here leaves the list as it is: discovery is a courtesy, every call is still decided
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void keepDiscoverable(@Advice.Argument(4) List<ToolSpecification> tools) {
        if (tools == null) {
            return;
        }
        for (Iterator<ToolSpecification> i = tools.iterator(); i.hasNext(); ) {
            if (!GuardBridge.discoverable(i.next().name())) {
                i.remove();
            }
        }
    }
}
