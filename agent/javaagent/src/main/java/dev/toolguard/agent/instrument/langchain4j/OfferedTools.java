package dev.toolguard.agent.instrument.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Exit advice on the accessors of the tools an AI service sends the model ({@code ToolServiceContext}'s
 * {@code toolSpecifications()}, and {@code effectiveTools()} from 1.12): keeps those the caller may see. The
 * executors stay registered, so a call the model makes to a hidden tool anyway is decided, and denied, where it runs.
 */
final class OfferedTools {

    private OfferedTools() {
    }

    // a failure here leaves the list as it is: discovery is a courtesy, every call is still decided
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void keepDiscoverable(@Advice.Return(readOnly = false) List<ToolSpecification> tools) {
        if (tools == null) {
            return;
        }
        List<ToolSpecification> kept = null;
        for (int i = 0, n = tools.size(); i < n; i++) {
            ToolSpecification tool = tools.get(i);
            boolean offered = GuardBridge.discoverable(tool.name());
            if (!offered && kept == null) {
                kept = new ArrayList<>(tools.subList(0, i));
            } else if (offered && kept != null) {
                kept.add(tool);
            }
        }
        if (kept != null) {
            tools = Collections.unmodifiableList(kept);
        }
    }
}
