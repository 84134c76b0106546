package dev.toolguard.agent.instrument.semantickernel;

import dev.toolguard.agent.advice.ToolInstaller;
import dev.toolguard.agent.instrument.CarriedContextAdvice;
import dev.toolguard.agent.instrument.FrameworkHook;
import dev.toolguard.agent.instrument.LambdaBodyAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.lang.reflect.Method;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * Built-in rule set {@code semantic-kernel}: Semantic Kernel for Java (1.x) beyond its tool annotation.
 * A {@code @DefineKernelFunction} method is guarded by the annotation rule set itself; this hook makes the rest
 * of the framework's tool loop, which lives in {@code OpenAIChatCompletion}, work with it:
 * <ul>
 *   <li><b>Context.</b> Semantic Kernel calls a tool method on a {@code Schedulers.boundedElastic()} worker, so
 *       what the caller's thread knows (the MDC, a {@code SecurityContext}, {@code ToolGuard.runAs}) is not where
 *       the tool is decided. The caller's context is captured where the chat starts ({@link ChatContextCapture}),
 *       travels in the pipeline's Reactor context, is taken up where a kernel function is started
 *       ({@link FunctionSubscribe}) and handed across to the worker with the call's arguments
 *       ({@link ArgumentsCarryContext}, {@link CarriedContextAdvice}).</li>
 *   <li><b>Denials.</b> The model is told {@code "Call failed: "} and the denial's text, not Semantic Kernel's
 *       wrapper text ({@link DenialAsToolError}); the kernel's auto-invoke loop then asks the model again.</li>
 *   <li><b>Discovery.</b> With {@code filter_discovery}, the functions a chat sends the model as tools leave out
 *       those the caller may never call ({@link ToolListFilter}).</li>
 * </ul>
 * Matched by name and argument count only, which are the same from 1.0 to 1.4; what the methods take first
 * changed from a message list to a class of its own.
 */
public final class SemanticKernelHooks implements FrameworkHook {

    static final String CHAT_COMPLETION = "com.microsoft.semantickernel.aiservices.openai.chatcompletion.OpenAIChatCompletion";
    static final String FUNCTION_INVOCATION = "com.microsoft.semantickernel.orchestration.FunctionInvocation";
    static final String FUNCTION_FROM_METHOD = "com.microsoft.semantickernel.semanticfunctions.KernelFunctionFromMethod";

    @Override
    public String ruleSet() {
        return "semantic-kernel";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        AgentBuilder.Identified.Extendable b = builder
                .type(named(CHAT_COMPLETION))
                .transform(advice()
                        .advice(chatStart(), name("ChatContextCapture"))
                        .advice(named("emitError").and(takesArguments(3)).and(takesArgument(2, Throwable.class)),
                                name("DenialAsToolError")));
        if (filterDiscovery) {
            b = b.transform((tb, type, loader, module, pd) -> tb.visit(new LambdaBodyAdvice(toolCollection(),
                    Advice.to(ToolListFilter.class).withExceptionHandler(ToolInstaller.REPORT_ADVICE_FAILURE))));
        }
        return b
                .type(named(FUNCTION_INVOCATION))
                .transform(advice().advice(named("subscribe").and(takesArguments(1))
                        .and(takesArgument(0, named("reactor.core.CoreSubscriber"))), name("FunctionSubscribe")))
                .type(named(FUNCTION_FROM_METHOD))
                .transform(advice().advice(reflectiveCall(), name("ArgumentsCarryContext")))
                .transform((tb, type, loader, module, pd) -> tb.visit(new LambdaBodyAdvice(reflectiveCallBody(),
                        Advice.to(CarriedContextAdvice.class).withExceptionHandler(ToolInstaller.REPORT_ADVICE_FAILURE))));
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

    private static String name(String adviceClass) {
        return SemanticKernelHooks.class.getPackageName() + "." + adviceClass;
    }

    /**
     * Advice described from its class file and never loaded: it names Semantic Kernel's and Reactor's types, which
     * only the application's class loader has.
     */
    private static AgentBuilder.Transformer.ForAdvice advice() {
        return new AgentBuilder.Transformer.ForAdvice()
                .withExceptionHandler(ToolInstaller.REPORT_ADVICE_FAILURE)
                .include(SemanticKernelHooks.class.getClassLoader());
    }
}
