package dev.toolguard.agent.instrument.koog;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static dev.toolguard.agent.instrument.Hook.Role.FILTERS_DISCOVERY;
import static dev.toolguard.agent.instrument.Hook.Role.GUARDS_CALLS;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * JetBrains Koog ({@code ai.koog:agents-core-jvm}, 1.0 to 1.1), a Kotlin framework whose agents (graph, functional
 * and planner agents alike) run their tool loop through one environment: every tool call the model makes is handed
 * to {@code GenericAgentEnvironment.executeTool(call, metadata)}, which finds the tool in the agent's registry,
 * decodes the arguments and runs the tool's {@code execute}. Every model request of an agent goes through a
 * {@code ContextualPromptExecutor}, which wraps the application's prompt executor.
 *
 * <ul>
 *   <li>{@code executeTool} is decided by the tool's name and the arguments the model wrote, before the tool is even
 *       looked up ({@link EnvironmentToolCall}). A denial is returned as Koog's own failed tool result, whose text
 *       Koog sends the model as the tool's result: the agent's run goes on. It is a Kotlin {@code suspend} function:
 *       the advice tells its first entry from Kotlin resuming it, and writes the outcome when the call ends.</li>
 *   <li>With {@code filter_discovery}, the tool descriptors the contextual executor passes on to the model leave
 *       out the tools the caller may never call ({@link OfferedTools}); they stay in the registry, so a call the model
 *       makes to one anyway is decided, and denied, where it runs.</li>
 * </ul>
 */
public final class KoogModule extends InstrumentationModule {

    static final String ENVIRONMENT = "ai.koog.agents.core.environment.GenericAgentEnvironment";
    static final String TOOL_CALL = "ai.koog.prompt.message.MessagePart$Tool$Call";
    static final String TOOL_CALL_METADATA = "ai.koog.agents.core.tools.ToolCallMetadata";
    static final String CONTINUATION = "kotlin.coroutines.Continuation";
    static final String PROMPT_EXECUTOR = "ai.koog.agents.core.feature.ContextualPromptExecutor";
    static final String PROMPT = "ai.koog.prompt.Prompt";
    static final String MODEL = "ai.koog.prompt.llm.LLModel";
    /** Where a decided call is served, for the audit record's {@code method}. */
    static final String SITE = ENVIRONMENT + "#executeTool";

    @Override
    public String name() {
        return "koog";
    }

    @Override
    public String markerClass() {
        return ENVIRONMENT;
    }

    /** Koog is built by Gradle: the version comes from this jar's manifest ({@code FrameworkVersion}). */
    @Override
    public String versionArtifact() {
        return "ai.koog:agents-core-jvm";
    }

    @Override
    public String supportedVersions() {
        return "1.0 to 1.1";
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.of(GUARDS_CALLS, ENVIRONMENT, executeTool(), "executeTool(Call, ToolCallMetadata, Continuation)",
                        advice("EnvironmentToolCall")),
                // where the hook above cannot apply, no agent can be made: every agent run makes its environment
                Hook.fuse(ENVIRONMENT),
                Hook.of(FILTERS_DISCOVERY, PROMPT_EXECUTOR, modelRequest(),
                        "execute|executeStreaming|executeMultipleChoices(Prompt, LLModel, List, ...)",
                        advice("OfferedTools")));
    }

    /**
     * {@code executeTool(Call, ToolCallMetadata, Continuation)}: one tool call of the agent's loop (the one-argument
     * form only forwards to it).
     */
    static ElementMatcher<MethodDescription> executeTool() {
        return named("executeTool").and(takesArguments(3)).and(takesArgument(0, named(TOOL_CALL)))
                .and(takesArgument(1, named(TOOL_CALL_METADATA))).and(takesArgument(2, named(CONTINUATION)));
    }

    /** A model request with the tools offered as its third argument, suspending ({@code execute}) or not (streaming). */
    static ElementMatcher<MethodDescription> modelRequest() {
        return namedOneOf("execute", "executeStreaming", "executeMultipleChoices")
                .and(takesArgument(0, named(PROMPT))).and(takesArgument(1, named(MODEL)))
                .and(takesArgument(2, List.class));
    }
}
