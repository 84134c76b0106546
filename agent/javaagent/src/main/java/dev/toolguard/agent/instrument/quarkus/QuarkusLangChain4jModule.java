package dev.toolguard.agent.instrument.quarkus;

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
 * Quarkus LangChain4j ({@code io.quarkiverse.langchain4j:quarkus-langchain4j-core}, 1.10), whose AI services
 * ({@code @RegisterAiService}) run their own tool loop in {@code AiServiceMethodImplementationSupport} rather than
 * LangChain4j's {@code ToolService}, so that neither of the LangChain4j module's call and discovery hooks is on
 * their way.
 *
 * <p>A {@code @Tool} method is guarded where it runs, by the LangChain4j module's annotation rule (Quarkus calls
 * it through a generated invoker from its {@code QuarkusToolExecutor}). A denied one throws the denial, and the
 * AI service's {@code ToolExecutionErrorHandler} gives the model its text as the tool's result (a
 * {@code ToolExecutionResultMessage}). A tool that is no {@code @Tool} method (a {@code ToolProvider}'s, such as
 * an MCP client's) is decided where the AI service runs every tool call ({@link ExecutorCall}).
 *
 * <p>Discovery: the list of tools an AI service method sends the model is built per call, from the service's
 * tools, the method's {@code @ToolBox} or the tool providers, and handed to {@code createChatRequest} for the
 * first request; the tool loop sends the same list object on every later request. {@link OfferedTools} keeps in
 * that list the tools the caller may be offered.
 */
public final class QuarkusLangChain4jModule extends InstrumentationModule {

    static final String SUPPORT = "io.quarkiverse.langchain4j.runtime.aiservice.AiServiceMethodImplementationSupport";
    static final String TOOL_EXECUTION_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";
    static final String TOOL_EXECUTOR = "dev.langchain4j.service.tool.ToolExecutor";
    static final String SERVICE_CONTEXT = "io.quarkiverse.langchain4j.runtime.aiservice.QuarkusAiServiceContext";
    static final String METHOD_CREATE_INFO = "io.quarkiverse.langchain4j.runtime.aiservice.AiServiceMethodCreateInfo";

    @Override
    public String name() {
        return "quarkus-langchain4j";
    }

    @Override
    public String markerClass() {
        return SUPPORT;
    }

    @Override
    public String versionArtifact() {
        return "io.quarkiverse.langchain4j:quarkus-langchain4j-core";
    }

    @Override
    public String supportedVersions() {
        return "1.10";
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.of(GUARDS_CALLS, SUPPORT, executeTool(),
                        "static executeTool(ToolExecutionRequest, ToolExecutor, ...)", advice("ExecutorCall")),
                // where the hook above cannot apply, the request every tool call of an AI service is made from stops it
                Hook.fuse(TOOL_EXECUTION_REQUEST),
                Hook.of(FILTERS_DISCOVERY, SUPPORT, firstChatRequest(),
                        "static createChatRequest(QuarkusAiServiceContext, AiServiceMethodCreateInfo, Object[], List, List)",
                        advice("OfferedTools")));
    }

    /** {@code static executeTool(ToolExecutionRequest, ToolExecutor, ...)}: one tool call of an AI service. */
    static ElementMatcher<MethodDescription> executeTool() {
        return named("executeTool").and(isStatic())
                .and(takesArgument(0, named(TOOL_EXECUTION_REQUEST))).and(takesArgument(1, named(TOOL_EXECUTOR)));
    }

    /** The first request of an AI service call, given the tool list that every request of its loop sends. */
    static ElementMatcher<MethodDescription> firstChatRequest() {
        return named("createChatRequest").and(isStatic()).and(takesArguments(5))
                .and(takesArgument(0, named(SERVICE_CONTEXT))).and(takesArgument(1, named(METHOD_CREATE_INFO)))
                .and(takesArgument(4, List.class));
    }
}
