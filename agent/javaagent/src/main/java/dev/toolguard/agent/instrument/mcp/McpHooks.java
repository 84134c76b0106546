package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.agent.instrument.FrameworkHook;
import net.bytebuddy.agent.builder.AgentBuilder;

/** Built-in rule set {@code mcp}: what its tool annotations alone do not cover. */
public final class McpHooks implements FrameworkHook {

    @Override
    public String ruleSet() {
        return "mcp";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        return builder;
    }
}
