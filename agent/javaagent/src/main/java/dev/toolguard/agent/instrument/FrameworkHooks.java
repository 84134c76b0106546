package dev.toolguard.agent.instrument;

import dev.toolguard.agent.instrument.langchain4j.LangChain4jHooks;
import dev.toolguard.agent.instrument.mcp.McpHooks;
import dev.toolguard.agent.instrument.semantickernel.SemanticKernelHooks;
import dev.toolguard.agent.instrument.springai.SpringAiHooks;

import java.util.List;

/** Every framework hook the agent ships; the config's {@code instrumentation.builtin} picks among them. */
public final class FrameworkHooks {

    public static final List<FrameworkHook> ALL = List.of(
            new LangChain4jHooks(), new SpringAiHooks(), new McpHooks(), new SemanticKernelHooks());

    private FrameworkHooks() {
    }
}
