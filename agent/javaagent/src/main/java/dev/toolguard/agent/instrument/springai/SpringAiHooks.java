package dev.toolguard.agent.instrument.springai;

import dev.toolguard.agent.advice.ToolInstaller;
import dev.toolguard.agent.instrument.FrameworkHook;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Built-in rule set {@code spring-ai}: what its tool annotations alone do not cover.
 *
 * <ul>
 *   <li>{@code FunctionToolCallback} tools are plain functions with no annotated method: their
 *       {@code call(String, ToolContext)} is guarded by the tool's name and its JSON arguments, and a denial is
 *       thrown as Spring AI's own {@code ToolExecutionException}, which the tool-calling loop turns into the
 *       tool's result for the model.</li>
 *   <li>{@code DefaultToolExecutionExceptionProcessor} always returns a denial's text to the model, also where
 *       the application asked it to rethrow tool errors: a denial is a decision, not a failure of the tool, and
 *       the conversation goes on (SPEC §8).</li>
 *   <li>With {@code filter_discovery}, {@code DefaultToolCallingManager.resolveToolDefinitions}, which every
 *       Spring AI chat model asks for the tools to send, leaves out the tools the caller may never call.</li>
 * </ul>
 * A {@code @Tool} or {@code @McpTool} method is guarded by the annotation rule set itself; its denial reaches
 * the model through the same exception processor.
 */
public final class SpringAiHooks implements FrameworkHook {

    private static final String FUNCTION_TOOL_CALLBACK = "org.springframework.ai.tool.function.FunctionToolCallback";
    private static final String EXCEPTION_PROCESSOR = "org.springframework.ai.tool.execution.DefaultToolExecutionExceptionProcessor";
    private static final String TOOL_CALLING_MANAGER = "org.springframework.ai.model.tool.DefaultToolCallingManager";
    private static final String TOOL_CONTEXT = "org.springframework.ai.chat.model.ToolContext";
    private static final String TOOL_EXECUTION_EXCEPTION = "org.springframework.ai.tool.execution.ToolExecutionException";
    private static final String TOOL_CALLING_CHAT_OPTIONS = "org.springframework.ai.model.tool.ToolCallingChatOptions";

    @Override
    public String ruleSet() {
        return "spring-ai";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        AgentBuilder b = builder
                .type(named(FUNCTION_TOOL_CALLBACK))
                .transform(advice("FunctionToolCallAdvice", named("call").and(takesArguments(2))
                        .and(takesArgument(0, String.class)).and(takesArgument(1, named(TOOL_CONTEXT)))))
                .type(named(EXCEPTION_PROCESSOR))
                .transform(advice("DenialAsToolResultAdvice", named("process").and(takesArguments(1))
                        .and(takesArgument(0, named(TOOL_EXECUTION_EXCEPTION)))));
        if (!filterDiscovery) {
            return b;
        }
        return b.type(named(TOOL_CALLING_MANAGER))
                .transform(advice("ToolListAdvice", named("resolveToolDefinitions").and(takesArguments(1))
                        .and(takesArgument(0, named(TOOL_CALLING_CHAT_OPTIONS)))));
    }

    /**
     * The advice, by the name of a class in this package, is described from its class file and never loaded: it
     * names Spring AI types, which only the application's class loader has; they are resolved there, the advice's
     * own bytes come from the agent.
     */
    private static AgentBuilder.Transformer advice(String adviceClass, ElementMatcher<? super MethodDescription> methods) {
        return new AgentBuilder.Transformer.ForAdvice()
                .withExceptionHandler(ToolInstaller.REPORT_ADVICE_FAILURE)
                .include(SpringAiHooks.class.getClassLoader())
                .advice(methods, SpringAiHooks.class.getPackageName() + "." + adviceClass);
    }
}
