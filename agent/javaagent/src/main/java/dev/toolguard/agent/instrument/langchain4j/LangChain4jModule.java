package dev.toolguard.agent.instrument.langchain4j;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.List;
import java.util.Map;

import static dev.toolguard.agent.instrument.Hook.Role.CARRIES_CONTEXT;
import static dev.toolguard.agent.instrument.Hook.Role.FILTERS_DISCOVERY;
import static dev.toolguard.agent.instrument.Hook.Role.GUARDS_CALLS;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * LangChain4j ({@code dev.langchain4j:langchain4j}, 1.0 to 1.19).
 *
 * <p>A {@code @Tool} method is guarded where it runs. A denied one throws the denial, and LangChain4j's own tool
 * error handling returns its message to the model as the tool's result (up to 1.3 {@code DefaultToolExecutor}
 * returns it directly, from 1.4 the default {@code ToolExecutionErrorHandler} does).
 *
 * <p>A tool that is no {@code @Tool} method (a programmatic {@code ToolExecutor}, a {@code ToolProvider}'s) is
 * decided where the AI service runs every tool call, from LangChain4j 1.4 ({@link ExecutorCall}). With
 * {@code executeToolsConcurrently()} the calls run on an executor's threads; the asking thread's context is
 * carried to them ({@link ConcurrentToolCalls}, {@code CarriedContextAdvice}).
 *
 * <p>Discovery: an AI service puts in each request to the model the tools of its {@code ToolServiceContext}
 * ({@code toolSpecifications()} in every 1.x, {@code effectiveTools()} from 1.12); both return only the tools the
 * current caller may be offered ({@link OfferedTools}).
 */
public final class LangChain4jModule extends InstrumentationModule {

    static final String TOOL_SERVICE_CONTEXT = "dev.langchain4j.service.tool.ToolServiceContext";
    static final String TOOL_SERVICE = "dev.langchain4j.service.tool.ToolService";
    static final String TOOL_EXECUTION_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";
    static final String TOOL_EXECUTOR = "dev.langchain4j.service.tool.ToolExecutor";

    @Override
    public String name() {
        return "langchain4j";
    }

    @Override
    public String markerClass() {
        return TOOL_SERVICE;
    }

    @Override
    public String versionArtifact() {
        return "dev.langchain4j:langchain4j";
    }

    @Override
    public String supportedVersions() {
        return "1.0 to 1.19";
    }

    @Override
    public List<AnnotatedToolRule> toolAnnotations() {
        return List.of(AnnotatedToolRule.of(name(), "dev.langchain4j.agent.tool.Tool"));
    }

    @Override
    public List<String> parameterNameAnnotations() {
        return List.of("dev.langchain4j.agent.tool.P");
    }

    @Override
    public List<String> plumbingTypes() {
        return List.of("dev.langchain4j.invocation.InvocationParameters", "dev.langchain4j.invocation.InvocationContext");
    }

    @Override
    public List<String> plumbingAnnotations() {
        return List.of("dev.langchain4j.agent.tool.ToolMemoryId", "dev.langchain4j.service.MemoryId");
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.of(GUARDS_CALLS, TOOL_SERVICE, executorCall(),
                        "executeWithErrorHandling(ToolExecutionRequest, ToolExecutor, ...)", advice("ExecutorCall"))
                        .since("1.4"),
                // where the hook above cannot apply, the request every tool call of an AI service is made from stops it
                Hook.fuse(TOOL_EXECUTION_REQUEST).since("1.4"),
                Hook.of(CARRIES_CONTEXT, TOOL_SERVICE, concurrentCalls(), "executeConcurrently(List, Map, ...)",
                        advice("ConcurrentToolCalls")).since("1.4"),
                Hook.of(CARRIES_CONTEXT, TOOL_SERVICE, concurrentCall(), "lambda$executeConcurrently$N(.., Map, ..)",
                        "dev.toolguard.agent.instrument.CarriedContextAdvice").onLambdaBodies().since("1.4"),
                Hook.of(FILTERS_DISCOVERY, TOOL_SERVICE_CONTEXT, offeredTools(), "toolSpecifications() or effectiveTools()",
                        advice("OfferedTools")));
    }

    /**
     * {@code static executeWithErrorHandling(ToolExecutionRequest, ToolExecutor, ...)}: one tool call of an AI
     * service, from LangChain4j 1.4 (its later arguments and its result changed between releases).
     */
    static ElementMatcher<MethodDescription> executorCall() {
        return named("executeWithErrorHandling").and(isStatic())
                .and(takesArgument(0, named(TOOL_EXECUTION_REQUEST))).and(takesArgument(1, named(TOOL_EXECUTOR)));
    }

    /** {@code executeConcurrently(List requests, Map executors, ...)}: the calls of one reply, handed to threads. */
    static ElementMatcher<MethodDescription> concurrentCalls() {
        return named("executeConcurrently").and(takesArgument(0, List.class)).and(takesArgument(1, Map.class));
    }

    /** {@code lambda$executeConcurrently$N(...)} taking the executors map: one call, on a worker thread. */
    static ElementMatcher<MethodDescription> concurrentCall() {
        return nameStartsWith("lambda$executeConcurrently$").and(takesArgument(0, Map.class).or(takesArgument(1, Map.class)));
    }

    /** The accessors of the tools sent to the model. */
    static ElementMatcher<MethodDescription> offeredTools() {
        return named("effectiveTools").or(named("toolSpecifications"))
                .and(takesNoArguments()).and(returns(named(List.class.getName())));
    }
}
