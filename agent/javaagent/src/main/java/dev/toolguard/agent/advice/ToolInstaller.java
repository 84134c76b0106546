package dev.toolguard.agent.advice;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.LambdaBodyAdvice;
import dev.toolguard.agent.instrument.ModuleFuse;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import dev.toolguard.agent.instrument.check.UnmatchedEntries;
import dev.toolguard.instrumentation.rule.ParameterNaming;
import dev.toolguard.instrumentation.rule.ToolMethods;
import dev.toolguard.api.internal.GuardBridge;
import dev.toolguard.instrumentation.ToolRules;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

/**
 * Installs the tool advice and every module's hooks with ByteBuddy: retransformation (so classes loaded before an
 * attach are guarded too), no class format changes, descriptions read from class files, the JDK and the agent
 * ignored, whatever class loader defines a class.
 *
 * <p>One registration serves every rule and every hook, so that they add up: a hook and a {@code rules.yaml} entry
 * on the same class both apply (ByteBuddy applies only the first registration that matches a type). A module's hooks
 * apply in a class loader only after the module was checked there ({@link ModuleChecks}), and a class with tools of
 * a module has that module checked before its first call can be decided.
 */
public final class ToolInstaller {

    private final ToolRules rules;
    private final ModuleChecks checks;
    private final UnmatchedEntries unmatched;
    private final ToolRegistry registry;
    private final Consumer<String> diagnostics;
    private final AtomicInteger errors = new AtomicInteger();
    /** Each hooked type's hooks, with their modules. */
    private final Map<String, List<ModuleHook>> hooksByType = new HashMap<>();
    private final Map<String, InstrumentationModule> modulesByName = new HashMap<>();

    private record ModuleHook(InstrumentationModule module, Hook hook) {
    }

    /** @param unmatched where {@code rules.yaml} entries that match no method are said (SPEC §7) */
    public ToolInstaller(ToolRules rules, ModuleChecks checks, UnmatchedEntries unmatched, ToolRegistry registry,
                         Consumer<String> diagnostics) {
        this.rules = rules;
        this.unmatched = unmatched;
        this.checks = checks;
        this.registry = registry;
        this.diagnostics = diagnostics;
        for (InstrumentationModule m : checks.modules()) {
            modulesByName.put(m.name(), m);
            for (Hook h : checks.hooksOf(m)) {
                hooksByType.computeIfAbsent(h.type(), t -> new ArrayList<>()).add(new ModuleHook(m, h));
            }
        }
    }

    /** Classes that are never tools: the JDK, the agent itself, its relocated libraries, other agents' glue. */
    public static ElementMatcher.Junction<TypeDescription> neverTools() {
        return nameStartsWith("java.").or(nameStartsWith("javax.")).or(nameStartsWith("jdk."))
                .or(nameStartsWith("sun.")).or(nameStartsWith("com.sun.")).or(nameStartsWith("net.bytebuddy."))
                .or(nameStartsWith("dev.toolguard.agent.")).or(nameStartsWith("dev.toolguard.api."))
                .or(nameStartsWith("dev.toolguard.policy.")).or(nameStartsWith("dev.toolguard.instrumentation."))
                .or(nameStartsWith("dev.toolguard.shaded.")).or(nameStartsWith("io.opentelemetry.javaagent."))
                .or(nameStartsWith("co.elastic.apm.agent.")).or(isSynthetic());
    }

    public void install(Instrumentation inst) {
        ElementMatcher<TypeDescription> toolTypes = rules.types();
        ScheduledExecutorService resubmitter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "toolguard-retransform");
            t.setDaemon(true);
            return t;
        });
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(100))
                // a class whose transformation failed (a transformer that ran out of stack, say) is transformed again
                // once it is loaded, rather than left as it is
                .withResubmission(new AgentBuilder.RedefinitionStrategy.ResubmissionScheduler.AtFixedRate(
                        resubmitter, 50, TimeUnit.MILLISECONDS))
                .resubmitOnError()
                .with(AgentBuilder.DescriptionStrategy.Default.HYBRID)
                .with(new CachedTypeDescriptions())
                // a plugin's loader whose parent is the platform or bootstrap loader cannot read the API's class files
                // (the agent appends its jar to the bootstrap path, whose resources the JDK does not search): the
                // annotations ToolGuard itself defines are read from the agent jar instead
                .with(new AgentBuilder.LocationStrategy.Compound(AgentBuilder.LocationStrategy.ForClassLoader.STRONG,
                        new AgentBuilder.LocationStrategy.Simple(new ApiClassFiles())))
                .with(new TransformWithStackToSpare.Decorator())
                // advice is inlined and adds no types, so nothing is ever injected (and no Unsafe is touched)
                .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new ErrorListener())
                .ignore(any(), isBootstrapClassLoader())
                .or(neverTools())
                .type(type -> hooksByType.containsKey(type.getName()) || toolTypes.matches(type))
                .transform(this::transform)
                .installOn(inst);
    }

    /** Transformation errors seen so far (reported on standard error as they happen). */
    public int errors() {
        return errors.get();
    }

    private DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                             JavaModule module, java.security.ProtectionDomain domain) {
        for (ModuleHook mh : hooksByType.getOrDefault(type.getName(), List.of())) {
            if (checks.check(mh.module(), loader).fitting().contains(mh.hook())) {
                builder = apply(builder, mh.module(), mh.hook(), loader);
            }
        }
        ToolRules.Found found = rules.find(type);
        List<ToolRules.Match> tools = found.tools();
        if (!found.misses().isEmpty()) {
            found.misses().forEach(unmatched::methodMissing);
            if (unmatched.required()) {
                // the tool meant is not known, so nothing of the class runs undecided: its public methods are decided
                tools = withEveryPublicMethod(type, tools);
            }
        }
        for (ToolRules.Match match : tools) {
            InstrumentationModule owner = modulesByName.get(match.tool().ruleSet());
            if (owner != null) {
                checks.check(owner, loader); // known before the tool's first call is decided
            }
            int id = registry.register(match.tool());
            builder = builder.visit(Advice.withCustomMapping().bind(ToolAdvice.ToolId.class, id)
                    .to(ToolAdvice.class).withExceptionHandler(reportFailureAt(match.tool().signature()))
                    .on(named(match.method().getName()).and(hasDescriptor(match.method().getDescriptor()))));
        }
        return builder;
    }

    /** The tools of a class, and as tools of their own name every other public method it declares. */
    private static List<ToolRules.Match> withEveryPublicMethod(TypeDescription type, List<ToolRules.Match> tools) {
        List<ToolRules.Match> all = new ArrayList<>(tools);
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (m.isPublic() && ToolMethods.guardable(m) && tools.stream().noneMatch(t -> t.method().equals(m))) {
                all.add(new ToolRules.Match(m, ToolMethods.of(m.getName(), type, m, List.of(), "rules",
                        ParameterNaming.COMPILED_NAMES, null)));
            }
        }
        return all;
    }

    /**
     * A hook's advice, described from its class file and never loaded: it names the framework's types, which only
     * the application's class loader has; they are resolved there, the advice's own bytes come from the agent.
     */
    private static DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, InstrumentationModule module, Hook hook,
                                                ClassLoader loader) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.ForClassLoader.of(ToolInstaller.class.getClassLoader()),
                ClassFileLocator.ForClassLoader.of(loader));
        TypeDescription adviceType = TypePool.Default.of(locator).describe(hook.advice()).resolve();
        Advice advice = (hook.role() == Hook.Role.FUSE
                ? Advice.withCustomMapping().bind(ModuleFuse.ModuleName.class, module.name()).to(adviceType, locator)
                : Advice.to(adviceType, locator))
                .withExceptionHandler(reportFailureAt(hook.describe()));
        return hook.lambdaBodies() ? builder.visit(new LambdaBodyAdvice(hook.methods(), advice))
                : builder.visit(advice.on(hook.methods()));
    }

    /**
     * What suppressed advice failures do: {@code GuardBridge.adviceFailed(throwable, site)}, counted and said once
     * per site, never silent. For guarding advice the protocol then skips the body.
     */
    static Advice.ExceptionHandler reportFailureAt(String site) {
        try {
            return new Advice.ExceptionHandler.Simple(new StackManipulation.Compound(new TextConstant(site),
                    MethodInvocation.invoke(new MethodDescription.ForLoadedMethod(
                            GuardBridge.class.getMethod("adviceFailed", Throwable.class, String.class)))));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("the bridge has no adviceFailed(Throwable, String)", e);
        }
    }

    /** The class files of {@code dev.toolguard.api}, from the agent jar on the system class path; nothing else. */
    public static final class ApiClassFiles implements ClassFileLocator {
        private final ClassFileLocator system = ClassFileLocator.ForClassLoader.ofSystemLoader();

        @Override
        public Resolution locate(String name) throws java.io.IOException {
            return name.startsWith("dev.toolguard.api.") ? system.locate(name) : new Resolution.Illegal(name);
        }

        @Override
        public void close() {
        }
    }

    private final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            if (TransformWithStackToSpare.retries(throwable)) {
                return; // transformed again at once, with stack to spare: not an error yet
            }
            errors.incrementAndGet();
            diagnostics.accept("toolguard: could not instrument " + typeName + ": " + throwable);
            for (ModuleHook mh : hooksByType.getOrDefault(typeName, List.of())) {
                checks.transformFailed(mh.module(), mh.hook(), classLoader, throwable);
            }
        }
    }
}
