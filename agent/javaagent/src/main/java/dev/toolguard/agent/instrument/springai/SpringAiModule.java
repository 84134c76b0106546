package dev.toolguard.agent.instrument.springai;

import dev.toolguard.agent.context.ContextSourceFactory;
import dev.toolguard.agent.context.SpringAiToolContextSource;
import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;

import java.util.List;

import static dev.toolguard.agent.instrument.Hook.Role.FILTERS_DISCOVERY;
import static dev.toolguard.agent.instrument.Hook.Role.GUARDS_CALLS;
import static dev.toolguard.agent.instrument.Hook.Role.REPORTS_DENIALS;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Spring AI ({@code org.springframework.ai:spring-ai-model}, 1.1 and 2.0).
 *
 * <ul>
 *   <li>{@code @Tool} and {@code @McpTool} methods are guarded where they run.</li>
 *   <li>{@code FunctionToolCallback} tools are plain functions with no annotated method: their
 *       {@code call(String, ToolContext)} is guarded by the tool's name and its JSON arguments, and a denial is
 *       thrown as Spring AI's own {@code ToolExecutionException}, which the tool-calling loop turns into the
 *       tool's result for the model ({@link FunctionToolCallAdvice}).</li>
 *   <li>{@code DefaultToolExecutionExceptionProcessor} always returns a denial's text to the model, also where
 *       the application asked it to rethrow tool errors: a denial is a decision, not a failure of the tool, and
 *       the conversation goes on (SPEC §8; {@link DenialAsToolResultAdvice}).</li>
 *   <li>With {@code filter_discovery}, {@code DefaultToolCallingManager.resolveToolDefinitions}, which every
 *       Spring AI chat model asks for the tools to send, leaves out the tools the caller may never call
 *       ({@link ToolListAdvice}).</li>
 * </ul>
 */
public final class SpringAiModule extends InstrumentationModule {

    private static final String FUNCTION_TOOL_CALLBACK = "org.springframework.ai.tool.function.FunctionToolCallback";
    private static final String EXCEPTION_PROCESSOR = "org.springframework.ai.tool.execution.DefaultToolExecutionExceptionProcessor";
    private static final String TOOL_CALLING_MANAGER = "org.springframework.ai.model.tool.DefaultToolCallingManager";
    private static final String TOOL_CONTEXT = "org.springframework.ai.chat.model.ToolContext";
    private static final String TOOL_EXECUTION_EXCEPTION = "org.springframework.ai.tool.execution.ToolExecutionException";
    private static final String TOOL_CALLING_CHAT_OPTIONS = "org.springframework.ai.model.tool.ToolCallingChatOptions";

    @Override
    public String name() {
        return "spring-ai";
    }

    @Override
    public String markerClass() {
        return FUNCTION_TOOL_CALLBACK;
    }

    @Override
    public String versionArtifact() {
        return "org.springframework.ai:spring-ai-model";
    }

    @Override
    public String supportedVersions() {
        return "1.1 to 2.0";
    }

    @Override
    public List<AnnotatedToolRule> toolAnnotations() {
        return List.of(AnnotatedToolRule.of(name(), "org.springframework.ai.tool.annotation.Tool"),
                AnnotatedToolRule.of(name(), "org.springframework.ai.mcp.annotation.McpTool"),
                AnnotatedToolRule.of(name(), "org.springaicommunity.mcp.annotation.McpTool"));
    }

    @Override
    public List<String> parameterNameAnnotations() {
        return List.of("org.springframework.ai.tool.annotation.ToolParam",
                "org.springframework.ai.mcp.annotation.McpToolParam");
    }

    @Override
    public List<String> plumbingTypes() {
        return List.of(TOOL_CONTEXT, "org.springaicommunity.mcp.context.McpSyncRequestContext",
                "org.springaicommunity.mcp.context.McpAsyncRequestContext");
    }

    @Override
    public List<ContextSourceFactory> contextSources() {
        return List.of(new SpringAiToolContextSource.Factory());
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.of(GUARDS_CALLS, FUNCTION_TOOL_CALLBACK, named("call").and(takesArguments(2))
                                .and(takesArgument(0, String.class)).and(takesArgument(1, named(TOOL_CONTEXT))),
                        "call(String, ToolContext)", advice("FunctionToolCallAdvice")),
                // where the hook above cannot apply, no function tool can be made
                Hook.fuse(FUNCTION_TOOL_CALLBACK),
                Hook.of(REPORTS_DENIALS, EXCEPTION_PROCESSOR, named("process").and(takesArguments(1))
                                .and(takesArgument(0, named(TOOL_EXECUTION_EXCEPTION))),
                        "process(ToolExecutionException)", advice("DenialAsToolResultAdvice")),
                Hook.of(FILTERS_DISCOVERY, TOOL_CALLING_MANAGER, named("resolveToolDefinitions").and(takesArguments(1))
                                .and(takesArgument(0, named(TOOL_CALLING_CHAT_OPTIONS))),
                        "resolveToolDefinitions(ToolCallingChatOptions)", advice("ToolListAdvice")));
    }
}
