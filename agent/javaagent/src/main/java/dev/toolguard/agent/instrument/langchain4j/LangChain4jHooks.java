package dev.toolguard.agent.instrument.langchain4j;

import dev.toolguard.agent.instrument.FrameworkHook;
import net.bytebuddy.agent.builder.AgentBuilder;

/** Built-in rule set {@code langchain4j}: what its tool annotations alone do not cover. */
public final class LangChain4jHooks implements FrameworkHook {

    @Override
    public String ruleSet() {
        return "langchain4j";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        return builder;
    }
}
