package dev.toolguard.agent.instrument.semantickernel;

import com.microsoft.semantickernel.semanticfunctions.KernelFunction;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into the body of the lambda with which {@code OpenAIChatCompletion} collects the tools of a chat,
 * {@code (name, function) -> functions.add(OpenAIFunction.build(function.getMetadata(), plugin.getName()))}, once
 * per chat and on the thread that asked: a function the caller's context may never call is not added, so no
 * request of that chat offers it to the model (SPEC §8). The kernel keeps every function, so a hidden tool the
 * model calls anyway reaches its guard and is denied.
 *
 * <p>The function arrives as an {@code Object}: this class is loaded by the agent, where Semantic Kernel's types
 * are not; the cast runs inlined, in Semantic Kernel's class.
 */
final class ToolListFilter {

    private ToolListFilter() {
    }

    // a failure here offers the function: discovery is a courtesy, every call is still decided
    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(@Advice.Argument(3) Object function) {
        return !GuardBridge.discoverable(((KernelFunction<?>) function).getName());
    }
}
