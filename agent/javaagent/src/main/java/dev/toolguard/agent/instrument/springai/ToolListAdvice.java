package dev.toolguard.agent.instrument.springai;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import org.springframework.ai.tool.definition.ToolDefinition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Inlined into {@code DefaultToolCallingManager.resolveToolDefinitions(ToolCallingChatOptions)}, whose result is
 * the tool list a chat model sends: keeps only the tools the calling thread's context may call (SPEC §8). The
 * callbacks themselves stay registered, so a hidden tool the model calls anyway reaches its guard and is denied.
 */
final class ToolListAdvice {

    private ToolListAdvice() {
    }

    // a failure here leaves the list whole: discovery is a courtesy, every call is still decided
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return(readOnly = false) List<ToolDefinition> definitions) {
        if (definitions == null || definitions.isEmpty()) {
            return;
        }
        List<ToolDefinition> offered = new ArrayList<>(definitions.size());
        for (ToolDefinition definition : definitions) {
            if (GuardBridge.discoverable(definition.name())) {
                offered.add(definition);
            }
        }
        if (offered.size() != definitions.size()) {
            definitions = Collections.unmodifiableList(offered);
        }
    }
}
