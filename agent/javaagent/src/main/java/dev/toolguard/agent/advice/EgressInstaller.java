package dev.toolguard.agent.advice;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.nameContains;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Installs the egress sensors (SPEC §18). Apart from the tool instrumentation because sensors reach into what that
 * one never touches: the JDK's own classes ({@code ProcessBuilder}, the HTTP clients), loaded by the bootstrap loader
 * and already loaded at start (so retransformed), which need a read edge to the bridge; and every JDBC driver's
 * statements, matched by what they implement behind a cheap name prefilter. Each sensor module is checked in a class
 * loader before its advice applies there, like the framework modules.
 */
public final class EgressInstaller {

    private final ModuleChecks checks;
    private final Consumer<String> diagnostics;
    private final Map<String, List<ModuleHook>> byType = new HashMap<>();
    private final List<ModuleHook> onImplementations = new ArrayList<>();

    private record ModuleHook(InstrumentationModule module, Hook hook, ElementMatcher<TypeDescription> implementing) {
    }

    public EgressInstaller(ModuleChecks checks, Consumer<String> diagnostics) {
        this.checks = checks;
        this.diagnostics = diagnostics;
        for (InstrumentationModule m : checks.modules()) {
            for (Hook h : checks.hooksOf(m)) {
                if (h.implementations()) {
                    onImplementations.add(new ModuleHook(m, h, nameContains(h.namePart()).and(not(isInterface()))
                            .and(hasSuperType(named(h.type())))));
                } else {
                    byType.computeIfAbsent(h.type(), t -> new ArrayList<>()).add(new ModuleHook(m, h, null));
                }
            }
        }
    }

    public void install(Instrumentation inst) {
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.DescriptionStrategy.Default.HYBRID)
                .with(AgentBuilder.PoolStrategy.Default.FAST)
                .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new ErrorListener())
                // a JDK class in a named module (java.base, java.net.http) must read the bridge's unnamed module
                .assureReadEdgeTo(inst, GuardBridge.class)
                .ignore(nameStartsWith("net.bytebuddy.").or(nameStartsWith("dev.toolguard."))
                        .or(nameStartsWith("io.opentelemetry.javaagent.")).or(nameStartsWith("co.elastic.apm.agent.")))
                .type(type -> byType.containsKey(type.getName()) || implementsASensedType(type))
                .transform(this::transform)
                .installOn(inst);
    }

    private boolean implementsASensedType(TypeDescription type) {
        String name = type.getName();
        if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.") || name.startsWith("com.sun.")) {
            return false;
        }
        for (ModuleHook mh : onImplementations) {
            if (mh.implementing().matches(type)) {
                return true;
            }
        }
        return false;
    }

    private DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                             JavaModule module, java.security.ProtectionDomain domain) {
        List<ModuleHook> hooks = new ArrayList<>(byType.getOrDefault(type.getName(), List.of()));
        for (ModuleHook mh : onImplementations) {
            if (mh.implementing().matches(type)) {
                hooks.add(mh);
            }
        }
        for (ModuleHook mh : hooks) {
            if (!checks.check(mh.module(), loader).fitting().contains(mh.hook())) {
                continue;
            }
            ClassFileLocator locator = new ClassFileLocator.Compound(
                    ClassFileLocator.ForClassLoader.of(EgressInstaller.class.getClassLoader()),
                    loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
            TypeDescription adviceType = TypePool.Default.of(locator).describe(mh.hook().advice()).resolve();
            // not suppressed: the refusal the bridge throws is what the instrumented method throws
            builder = builder.visit(Advice.to(adviceType, locator).on(mh.hook().methods()));
        }
        return builder;
    }

    private final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            diagnostics.accept("toolguard: could not install an egress sensor in " + typeName + ": " + throwable);
            for (ModuleHook mh : byType.getOrDefault(typeName, List.of())) {
                checks.transformFailed(mh.module(), mh.hook(), classLoader, throwable);
            }
        }
    }
}
