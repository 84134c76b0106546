package dev.toolguard.agent.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Instrumentation a framework needs beyond its tool annotations: tools that are not methods of their own
 * (an MCP handler, a Spring AI function callback), and the tool list sent to the model (SPEC §8).
 *
 * <p>Advice added here follows the house rules: static, inlined, calling only
 * {@link dev.toolguard.api.internal.GuardBridge} and the framework's own types.
 */
public interface FrameworkHook {

    /** The built-in rule set that switches this hook on: {@code langchain4j}, {@code spring-ai}, {@code mcp}, ... */
    String ruleSet();

    /**
     * Adds this hook's transformations.
     *
     * @param filterDiscovery whether tool lists sent to the model are filtered ({@code instrumentation.filter_discovery})
     */
    AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery);
}
