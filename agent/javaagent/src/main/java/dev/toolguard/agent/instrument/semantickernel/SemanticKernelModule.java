package dev.toolguard.agent.instrument.semantickernel;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.reflect.Method;
import java.util.List;

import static dev.toolguard.agent.instrument.Hook.Role.CARRIES_CONTEXT;
import static dev.toolguard.agent.instrument.Hook.Role.FILTERS_DISCOVERY;
import static dev.toolguard.agent.instrument.Hook.Role.REPORTS_DENIALS;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Semantic Kernel for Java ({@code com.microsoft.semantic-kernel:semantickernel-api}, 1.0 to 1.4).
 * A {@code @DefineKernelFunction} method is guarded where it runs; the hooks make the rest
 * of the framework's tool loop, which lives in {@code OpenAIChatCompletion}, work with it:
 * <ul>
 *   <li><b>Context.</b> Semantic Kernel calls a tool method on a {@code Schedulers.boundedElastic()} worker, so
 *       what the caller's thread knows (the MDC, a {@code SecurityContext}, {@code ToolGuard.runAs}) is not where
 *       the tool is decided. The caller's context is captured where the chat starts ({@link ChatContextCapture}),
 *       travels in the pipeline's Reactor context, is taken up where a kernel function is started
 *       ({@link FunctionSubscribe}) and handed across to the worker with the call's arguments
 *       ({@link ArgumentsCarryContext}, {@code CarriedContextAdvice}).</li>
 *   <li><b>Denials.</b> The model is told {@code "Call failed: "} and the denial's text, not Semantic Kernel's
 *       wrapper text ({@link DenialAsToolError}); the kernel's auto-invoke loop then asks the model again.</li>
 *   <li><b>Discovery.</b> With {@code filter_discovery}, the functions a chat sends the model as tools leave out
 *       those the caller may never call ({@link ToolListFilter}).</li>
 * </ul>
 * Matched by name and argument count only, which are the same from 1.0 to 1.4; what the methods take first
 * changed from a message list to a class of its own.
 */
public final class SemanticKernelModule extends InstrumentationModule {

    static final String CHAT_COMPLETION = "com.microsoft.semantickernel.aiservices.openai.chatcompletion.OpenAIChatCompletion";
    static final String FUNCTION_INVOCATION = "com.microsoft.semantickernel.orchestration.FunctionInvocation";
    static final String FUNCTION_FROM_METHOD = "com.microsoft.semantickernel.semanticfunctions.KernelFunctionFromMethod";

    @Override
    public String name() {
        return "semantic-kernel";
    }

    @Override
    public String markerClass() {
        return "com.microsoft.semantickernel.Kernel";
    }

    @Override
    public String versionArtifact() {
        return "com.microsoft.semantic-kernel:semantickernel-api";
    }

    @Override
    public String supportedVersions() {
        return "1.0 to 1.4";
    }

    @Override
    public List<AnnotatedToolRule> toolAnnotations() {
        return List.of(AnnotatedToolRule.of(name(),
                "com.microsoft.semantickernel.semanticfunctions.annotations.DefineKernelFunction"));
    }

    @Override
    public List<String> parameterNameAnnotations() {
        return List.of("com.microsoft.semantickernel.semanticfunctions.annotations.KernelFunctionParameter");
    }

    /** The OpenAI chat service is one of several a kernel may use: the hooks on it are optional. */
    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.of(CARRIES_CONTEXT, CHAT_COMPLETION, chatStart(), "internalChatMessageContentsAsync(3 arguments)",
                        advice("ChatContextCapture")).onOptionalType(),
                Hook.of(REPORTS_DENIALS, CHAT_COMPLETION, emitError(), "emitError(.., .., Throwable)",
                        advice("DenialAsToolError")).onOptionalType(),
                Hook.of(FILTERS_DISCOVERY, CHAT_COMPLETION, toolCollection(),
                        "lambda$internalChatMessageContentsAsync$N(List, KernelPlugin, String, KernelFunction)",
                        advice("ToolListFilter")).onLambdaBodies().onOptionalType(),
                Hook.of(CARRIES_CONTEXT, FUNCTION_INVOCATION, named("subscribe").and(takesArguments(1))
                                .and(takesArgument(0, named("reactor.core.CoreSubscriber"))),
                        "subscribe(CoreSubscriber)", advice("FunctionSubscribe")),
                Hook.of(CARRIES_CONTEXT, FUNCTION_FROM_METHOD, reflectiveCall(), "invokeAsyncFunction(Method, Object, List)",
                        advice("ArgumentsCarryContext")),
                Hook.of(CARRIES_CONTEXT, FUNCTION_FROM_METHOD, reflectiveCallBody(),
                        "lambda$invokeAsyncFunction$N(Method, Object, List) returning Object",
                        "dev.toolguard.agent.instrument.CarriedContextAdvice").onLambdaBodies());
    }

    static ElementMatcher<MethodDescription> emitError() {
        return named("emitError").and(takesArguments(3)).and(takesArgument(2, Throwable.class));
    }

    /** {@code internalChatMessageContentsAsync(messages, kernel, invocationContext)}: a chat starts. */
    static ElementMatcher<MethodDescription> chatStart() {
        return named("internalChatMessageContentsAsync").and(takesArguments(3));
    }

    /**
     * {@code lambda$internalChatMessageContentsAsync$N(List functions, KernelPlugin, String name, KernelFunction)}:
     * one function of a plugin is added to the chat's tools.
     */
    static ElementMatcher<MethodDescription> toolCollection() {
        return nameStartsWith("lambda$internalChatMessageContentsAsync$").and(takesArguments(4))
                .and(takesArgument(0, List.class))
                .and(takesArgument(3, named("com.microsoft.semantickernel.semanticfunctions.KernelFunction")));
    }

    /** {@code invokeAsyncFunction(Method, Object instance, List args)}: a tool method is to be called on a worker. */
    static ElementMatcher<MethodDescription> reflectiveCall() {
        return named("invokeAsyncFunction").and(takesArguments(3)).and(takesArgument(0, Method.class));
    }

    /**
     * The callable's body, {@code lambda$invokeAsyncFunction$N(Method, Object, List)} returning the tool's result;
     * the method's other three-argument lambda (the {@code Mono.defer} supplier) returns a {@code Mono}.
     */
    static ElementMatcher<MethodDescription> reflectiveCallBody() {
        return nameStartsWith("lambda$invokeAsyncFunction$").and(takesArguments(3))
                .and(takesArgument(0, Method.class)).and(takesArgument(2, List.class)).and(returns(Object.class));
    }
}
