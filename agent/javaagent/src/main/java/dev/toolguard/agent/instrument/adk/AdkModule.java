package dev.toolguard.agent.instrument.adk;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.Map;

import static dev.toolguard.agent.instrument.Hook.Role.FILTERS_DISCOVERY;
import static dev.toolguard.agent.instrument.Hook.Role.GUARDS_CALLS;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Google's Agent Development Kit for Java ({@code com.google.adk:google-adk}, 1.0 to 1.8), whose agents ({@code LlmAgent})
 * run their own tool loop: a function call the model makes is looked up among the request's tools and run by the
 * tool's {@code runAsync(Map, ToolContext)}. ADK function tools are plain Java methods wrapped in a
 * {@code FunctionTool}, with no annotation of their own.
 *
 * <ul>
 *   <li>{@code FunctionTool.runAsync} is decided by the tool's name and the model's arguments by name before the
 *       method is invoked ({@link FunctionToolCall}). A denial is returned as ADK's own error result,
 *       {@code {"error": "<denial>"}}, which ADK sends the model as the tool's function response: the conversation
 *       goes on. (A thrown exception would end the agent's run, and a tool method's own exception reaches the
 *       model only as "An internal error occurred".)</li>
 *   <li>With {@code filter_discovery}, a tool's {@code processLlmRequest}, by which each tool puts its declaration
 *       into the request of every model call, leaves out the declaration of a tool the caller may never call,
 *       while the tool stays registered in the request: a call the model makes to it anyway is decided, and
 *       denied, where it runs ({@link OfferedTools}).</li>
 * </ul>
 */
public final class AdkModule extends InstrumentationModule {

    static final String FUNCTION_TOOL = "com.google.adk.tools.FunctionTool";
    static final String BASE_TOOL = "com.google.adk.tools.BaseTool";
    static final String TOOL_CONTEXT = "com.google.adk.tools.ToolContext";
    static final String REQUEST_BUILDER = "com.google.adk.models.LlmRequest$Builder";
    /** Where a decided call is served, for the audit record's {@code method}. */
    static final String SITE = "com.google.adk.tools.FunctionTool#runAsync";

    @Override
    public String name() {
        return "adk";
    }

    @Override
    public String markerClass() {
        return FUNCTION_TOOL;
    }

    @Override
    public String versionArtifact() {
        return "com.google.adk:google-adk";
    }

    @Override
    public String supportedVersions() {
        return "1.0 to 1.8";
    }

    @Override
    public List<String> plumbingTypes() {
        return List.of(TOOL_CONTEXT);
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.of(GUARDS_CALLS, FUNCTION_TOOL, runAsync(), "runAsync(Map, ToolContext)", advice("FunctionToolCall")),
                // where the hook above cannot apply, no function tool can be made
                Hook.fuse(FUNCTION_TOOL),
                Hook.of(FILTERS_DISCOVERY, BASE_TOOL, processLlmRequest(),
                        "processLlmRequest(LlmRequest.Builder, ToolContext)", advice("OfferedTools")));
    }

    /** {@code runAsync(Map, ToolContext)}: one call of a function tool. */
    static ElementMatcher<MethodDescription> runAsync() {
        return named("runAsync").and(takesArguments(2)).and(takesArgument(0, Map.class))
                .and(takesArgument(1, named(TOOL_CONTEXT)));
    }

    /** {@code processLlmRequest(LlmRequest.Builder, ToolContext)}: a tool declares itself in a model request. */
    static ElementMatcher<MethodDescription> processLlmRequest() {
        return named("processLlmRequest").and(takesArguments(2)).and(takesArgument(0, named(REQUEST_BUILDER)))
                .and(takesArgument(1, named(TOOL_CONTEXT)));
    }
}
