package dev.toolguard.agent.instrument.koog;

import ai.koog.agents.core.tools.ToolDescriptor;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

import java.util.ArrayList;
import java.util.List;

/**
 * Inlined into {@code ContextualPromptExecutor.execute}, {@code executeStreaming} and {@code executeMultipleChoices},
 * through which an agent sends each model request with the descriptors of its registry's tools: the descriptors of
 * tools the caller may not be offered are left out of what the model is told. The tools stay in the registry, so a
 * call the model makes to one anyway reaches {@link EnvironmentToolCall} and is denied there, not as an unknown tool.
 * When Kotlin resumes a suspended request its arguments are null: nothing to filter then.
 */
final class OfferedTools {

    private OfferedTools() {
    }

    // a failure here leaves the request as Koog makes it: discovery is a courtesy, every call is still decided
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 2, readOnly = false) List<ToolDescriptor> tools) {
        if (tools == null || tools.isEmpty()) {
            return;
        }
        List<ToolDescriptor> offered = new ArrayList<>(tools.size());
        for (ToolDescriptor tool : tools) {
            if (GuardBridge.discoverable(tool.getName())) {
                offered.add(tool);
            }
        }
        if (offered.size() != tools.size()) {
            tools = offered;
        }
    }
}
