package dev.toolguard.agent.advice;

import dev.toolguard.agent.instrument.FrameworkHook;
import dev.toolguard.instrumentation.ToolRules;
import net.bytebuddy.agent.builder.AgentBuilder;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * Installs the tool advice with ByteBuddy: retransformation (so classes loaded before an attach are guarded
 * too), no class format changes, descriptions read from class files only, the JDK and the agent ignored.
 */
public final class ToolInstaller {

    /** Suppressed advice failures go to {@link GuardBridge#adviceFailed}: counted and said, never silent. */
    public static final Advice.ExceptionHandler REPORT_ADVICE_FAILURE = reportAdviceFailure();

    private final ToolRules rules;
    private final List<FrameworkHook> hooks;
    private final boolean filterDiscovery;
    private final ToolRegistry registry;
    private final Consumer<String> diagnostics;
    private final AtomicInteger errors = new AtomicInteger();

    public ToolInstaller(ToolRules rules, List<FrameworkHook> hooks, boolean filterDiscovery, ToolRegistry registry,
                         Consumer<String> diagnostics) {
        this.rules = rules;
        this.hooks = List.copyOf(hooks);
        this.filterDiscovery = filterDiscovery;
        this.registry = registry;
        this.diagnostics = diagnostics;
    }

    /** Classes that are never tools: the JDK, the agent itself, its relocated libraries, other agents' glue. */
    static ElementMatcher.Junction<TypeDescription> neverTools() {
        return nameStartsWith("java.").or(nameStartsWith("javax.")).or(nameStartsWith("jdk."))
                .or(nameStartsWith("sun.")).or(nameStartsWith("com.sun.")).or(nameStartsWith("net.bytebuddy."))
                .or(nameStartsWith("dev.toolguard.agent.")).or(nameStartsWith("dev.toolguard.api."))
                .or(nameStartsWith("dev.toolguard.policy.")).or(nameStartsWith("dev.toolguard.instrumentation."))
                .or(nameStartsWith("dev.toolguard.shaded.")).or(nameStartsWith("io.opentelemetry.javaagent."))
                .or(nameStartsWith("co.elastic.apm.agent.")).or(isSynthetic());
    }

    public void install(Instrumentation inst) {
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(100))
                .with(AgentBuilder.DescriptionStrategy.Default.HYBRID)
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                // advice is inlined and adds no types, so nothing is ever injected (and no Unsafe is touched)
                .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new ErrorListener())
                .ignore(any(), isBootstrapClassLoader())
                .or(neverTools());
        for (FrameworkHook hook : hooks) {
            builder = hook.extend(builder, filterDiscovery);
        }
        if (!rules.isEmpty()) {
            builder = builder.type(rules.types()).transform(this::guardTools);
        }
        builder.installOn(inst);
    }

    private static Advice.ExceptionHandler reportAdviceFailure() {
        try {
            return new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(new MethodDescription.ForLoadedMethod(
                    GuardBridge.class.getMethod("adviceFailed", Throwable.class))));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the bridge has no adviceFailed(Throwable)", e);
        }
    }

    /** Transformation errors seen so far (reported on standard error as they happen). */
    public int errors() {
        return errors.get();
    }

    private DynamicType.Builder<?> guardTools(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                              JavaModule module, java.security.ProtectionDomain domain) {
        for (ToolRules.Match match : rules.toolsOf(type)) {
            int id = registry.register(match.tool());
            builder = builder.visit(Advice.withCustomMapping().bind(ToolAdvice.ToolId.class, id)
                    .to(ToolAdvice.class).withExceptionHandler(REPORT_ADVICE_FAILURE)
                    .on(named(match.method().getName()).and(hasDescriptor(match.method().getDescriptor()))));
        }
        return builder;
    }

    private final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            errors.incrementAndGet();
            diagnostics.accept("toolguard: could not instrument " + typeName + ": " + throwable);
        }
    }
}
