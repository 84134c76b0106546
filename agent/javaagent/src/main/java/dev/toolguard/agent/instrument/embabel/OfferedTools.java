package dev.toolguard.agent.instrument.embabel;

import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Inlined into the static {@code toSpringToolCallbacks(List<Tool>)}, by which Embabel turns the tools it offers a
 * model into Spring AI callbacks on every request, in its tool loop and where {@code ChatClient} runs them: the list
 * it is handed keeps the tools the caller may be offered. The tools themselves stay with the loop, so a call the
 * model makes anyway to a hidden tool is decided, and denied, where it runs.
 */
final class OfferedTools {

    private OfferedTools() {
    }

    // a failure here leaves the list as Embabel made it: discovery is a courtesy, every call is still decided
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Origin Class<?> functions,
                      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) List<Object> tools)
            throws Exception {
        if (tools == null || tools.isEmpty()) {
            return;
        }
        // through the public interfaces: a tool's class, or its definition's, may be a private one
        ClassLoader embabel = functions.getClassLoader();
        Method definition = Class.forName("com.embabel.agent.api.tool.Tool", false, embabel).getMethod("getDefinition");
        Method name = Class.forName("com.embabel.agent.api.tool.Tool$Definition", false, embabel).getMethod("getName");
        List<Object> offered = new ArrayList<>(tools.size());
        for (Object tool : tools) {
            if (GuardBridge.discoverable((String) name.invoke(definition.invoke(tool)))) {
                offered.add(tool);
            }
        }
        if (offered.size() != tools.size()) {
            tools = offered;
        }
    }
}
