package dev.toolguard.agent.instrument.embabel;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;

import static dev.toolguard.agent.instrument.Hook.Role.FILTERS_DISCOVERY;
import static dev.toolguard.agent.instrument.Hook.Role.GUARDS_CALLS;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Embabel ({@code com.embabel.agent:embabel-agent-api}, 0.3.4 to 0.5), the Spring-based agent framework. Its tools
 * ({@code @LlmTool} methods, {@code Tool.of} functions, agents as tools, Spring AI tools handed to it) are all
 * Embabel {@code Tool}s, wrapped in Embabel's own decorators; a tool runs by {@code Tool.call(String, ...)} with
 * the model's JSON arguments. Embabel sits on Spring AI but runs tools in one of two places:
 *
 * <ul>
 *   <li>its own tool loop, {@code DefaultToolLoop} (also {@code ParallelToolLoop}, which inherits the method), runs
 *       each tool call the model makes by {@code executeToolCall(Tool, ToolCall)}: decided there by the call's tool
 *       name and JSON arguments ({@link LoopToolCall}). A denial becomes the tool's result text, which the loop
 *       puts into the conversation as the tool's response: the model reads it and the loop goes on;</li>
 *   <li>where Embabel lets Spring AI's {@code ChatClient} run the tools (its thinking and streaming paths), Spring AI
 *       calls the {@code SpringToolCallbackAdapter} of each Embabel tool: decided there
 *       ({@link AdaptedToolCall}), the denial returned as the callback's result text. The tool loop never calls the
 *       adapter, so no call is decided in both places.</li>
 * </ul>
 *
 * <p>A Spring AI {@code @Tool} method or {@code FunctionToolCallback} handed to Embabel is decided by the Spring AI
 * module where it runs; both hooks here let such a call proceed, so that it is decided once.
 *
 * <p>Discovery: every list of tools Embabel offers a model, in the loop or through {@code ChatClient}, becomes Spring
 * AI tool callbacks through one function, {@code toSpringToolCallbacks(List)}; with {@code filter_discovery} it is
 * handed only the tools the caller may be offered ({@link OfferedTools}). The loop keeps every tool registered, so
 * a hidden tool the model calls anyway is decided, and denied, where it runs.
 *
 * <p>The module is present wherever Embabel's platform is, so that a release without the classes it hooks (0.2, which
 * runs tools through Spring AI only) is reported as not applied rather than passed over.
 *
 * <p>Embabel is compiled for Java 21, the agent for 17: the advice names no Embabel type and reads Embabel's
 * objects through their public interfaces by reflection.
 */
public final class EmbabelModule extends InstrumentationModule {

    static final String TOOL_LOOP = "com.embabel.agent.spi.loop.support.DefaultToolLoop";
    static final String TOOL = "com.embabel.agent.api.tool.Tool";
    static final String TOOL_CALL = "com.embabel.chat.ToolCall";
    static final String ADAPTER = "com.embabel.agent.spi.support.springai.SpringToolCallbackAdapter";
    static final String ADAPTER_FUNCTIONS = "com.embabel.agent.spi.support.springai.SpringToolCallbackAdapterKt";
    static final String SPRING_TOOL_CONTEXT = "org.springframework.ai.chat.model.ToolContext";
    /** In every Embabel release, also those older than the tool loop: there the module is reported not applied. */
    static final String PLATFORM = "com.embabel.agent.core.AgentPlatform";

    @Override
    public String name() {
        return "embabel";
    }

    @Override
    public String markerClass() {
        return PLATFORM;
    }

    @Override
    public String versionArtifact() {
        return "com.embabel.agent:embabel-agent-api";
    }

    @Override
    public String supportedVersions() {
        return "0.3.4 to 0.5";
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.of(GUARDS_CALLS, TOOL_LOOP, executeToolCall(), "executeToolCall(Tool, ToolCall)",
                        advice("LoopToolCall")),
                Hook.of(GUARDS_CALLS, ADAPTER, adapterCall(), "call(String, ToolContext)", advice("AdaptedToolCall")),
                // where a hook above cannot apply, no tool call of the loop is made, and no tool is offered to a ChatClient
                Hook.fuse(TOOL_CALL),
                Hook.fuse(ADAPTER),
                Hook.of(FILTERS_DISCOVERY, ADAPTER_FUNCTIONS, toSpringToolCallbacks(),
                        "static toSpringToolCallbacks(List)", advice("OfferedTools")));
    }

    /** {@code executeToolCall(Tool, ToolCall)}: the tool loop runs one tool call of the model. */
    static ElementMatcher<MethodDescription> executeToolCall() {
        return named("executeToolCall").and(takesArguments(2)).and(takesArgument(0, named(TOOL)))
                .and(takesArgument(1, named(TOOL_CALL)));
    }

    /** {@code call(String, ToolContext)}: Spring AI runs an Embabel tool. */
    static ElementMatcher<MethodDescription> adapterCall() {
        return named("call").and(takesArguments(2)).and(takesArgument(0, String.class))
                .and(takesArgument(1, named(SPRING_TOOL_CONTEXT)));
    }

    /** {@code static toSpringToolCallbacks(List)}: the tools offered to a model, as Spring AI callbacks. */
    static ElementMatcher<MethodDescription> toSpringToolCallbacks() {
        return named("toSpringToolCallbacks").and(isStatic()).and(takesArguments(1)).and(takesArgument(0, List.class));
    }
}
