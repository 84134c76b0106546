package dev.toolguard.agent.instrument.semantickernel;

import dev.toolguard.agent.instrument.FrameworkHook;
import net.bytebuddy.agent.builder.AgentBuilder;

/** Built-in rule set {@code semantic-kernel}: what its tool annotations alone do not cover. */
public final class SemanticKernelHooks implements FrameworkHook {

    @Override
    public String ruleSet() {
        return "semantic-kernel";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        return builder;
    }
}
