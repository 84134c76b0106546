package dev.toolguard.agent.instrument.langchain4j;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.toolguard.agent.advice.ToolInstaller;
import dev.toolguard.agent.instrument.CarriedContextAdvice;
import dev.toolguard.agent.instrument.FrameworkHook;
import dev.toolguard.agent.instrument.LambdaBodyAdvice;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

/**
 * Built-in rule set {@code langchain4j}: what its tool annotations alone do not cover.
 *
 * <p>A denied {@code @Tool} method needs nothing here: it throws the denial, and LangChain4j's own tool error
 * handling returns the exception's message to the model as the tool's result (up to 1.3 {@code DefaultToolExecutor}
 * returns it directly, from 1.4 the default {@code ToolExecutionErrorHandler} does).
 *
 * <p>A tool that is no {@code @Tool} method (a programmatic {@code ToolExecutor}, a {@code ToolProvider}'s) is
 * decided where the AI service runs every tool call, from LangChain4j 1.4 ({@link ExecutorCall}). With
 * {@code executeToolsConcurrently()} the calls run on an executor's threads; the asking thread's context is
 * carried to them ({@link ConcurrentToolCalls}, {@link CarriedContextAdvice}).
 *
 * <p>Discovery: an AI service puts in each request to the model the tools of its {@code ToolServiceContext}
 * ({@code toolSpecifications()} in every 1.x, {@code effectiveTools()} from 1.12). Both accessors return only
 * the tools the current caller may be offered; the executors stay registered, so a call the model makes to a
 * hidden tool anyway reaches the guarded method and is denied there.
 */
public final class LangChain4jHooks implements FrameworkHook {

    static final String TOOL_SERVICE_CONTEXT = "dev.langchain4j.service.tool.ToolServiceContext";
    static final String TOOL_SERVICE = "dev.langchain4j.service.tool.ToolService";
    static final String TOOL_EXECUTION_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";
    static final String TOOL_EXECUTOR = "dev.langchain4j.service.tool.ToolExecutor";

    @Override
    public String ruleSet() {
        return "langchain4j";
    }

    @Override
    public AgentBuilder extend(AgentBuilder builder, boolean filterDiscovery) {
        AgentBuilder b = builder.type(named(TOOL_SERVICE))
                .transform((tb, type, loader, module, pd) -> tb
                        .visit(advice(ExecutorCall.class, loader).on(executorCall()))
                        .visit(advice(ConcurrentToolCalls.class, loader).on(concurrentCalls()))
                        .visit(new LambdaBodyAdvice(concurrentCall(), Advice.to(CarriedContextAdvice.class)
                                .withExceptionHandler(ToolInstaller.REPORT_ADVICE_FAILURE))));
        if (!filterDiscovery) {
            return b;
        }
        return b.type(named(TOOL_SERVICE_CONTEXT)).transform((tb, type, loader, module, pd) ->
                tb.visit(advice(OfferedTools.class, loader).on(named("effectiveTools").or(named("toolSpecifications"))
                        .and(takesNoArguments()).and(returns(named(List.class.getName()))))));
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

    /**
     * The advice, read as a class file and never loaded: its body names LangChain4j's types, which only the
     * application's class loader has.
     */
    private static Advice advice(Class<?> adviceClass, ClassLoader application) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.ForClassLoader.of(LangChain4jHooks.class.getClassLoader()),
                ClassFileLocator.ForClassLoader.of(application));
        TypeDescription advice = TypePool.Default.of(locator).describe(adviceClass.getName()).resolve();
        return Advice.to(advice, locator).withExceptionHandler(ToolInstaller.REPORT_ADVICE_FAILURE);
    }

    /** Exit advice on the accessors of the tools sent to the model: keeps those the caller may see. */
    static final class OfferedTools {

        private OfferedTools() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void keepDiscoverable(@Advice.Return(readOnly = false) List<ToolSpecification> tools) {
            if (tools == null) {
                return;
            }
            List<ToolSpecification> kept = null;
            for (int i = 0, n = tools.size(); i < n; i++) {
                ToolSpecification tool = tools.get(i);
                boolean offered = GuardBridge.discoverable(tool.name());
                if (!offered && kept == null) {
                    kept = new ArrayList<>(tools.subList(0, i));
                } else if (offered && kept != null) {
                    kept.add(tool);
                }
            }
            if (kept != null) {
                tools = Collections.unmodifiableList(kept);
            }
        }
    }
}
