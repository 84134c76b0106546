package dev.toolguard.agent.instrument.springai;

import dev.toolguard.agent.instrument.FrameworkHook;
import net.bytebuddy.agent.builder.AgentBuilder;

/** Built-in rule set {@code spring-ai}: what its tool annotations alone do not cover. */
public final class SpringAiHooks implements FrameworkHook {

    @Override
    public String ruleSet() {
        return "spring-ai";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        return builder;
    }
}
