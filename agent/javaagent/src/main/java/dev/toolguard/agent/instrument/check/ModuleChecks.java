package dev.toolguard.agent.instrument.check;

import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Checks each module against each class loader it meets before any of its hooks applies there (SPEC §13.4), in the
 * spirit of OpenTelemetry's muzzle: is the framework here; which version; does every hook find the methods it
 * instruments; does every class, method and field its advice names exist. Class files are read as resources, never
 * loaded.
 *
 * <p>A hook that guards calls and does not fit makes the module {@link Status#NOT_APPLIED}: from then on every call
 * the module serves is denied ({@link #refusal}), in this JVM, and standard error and {@code /metrics} say so. Any
 * other hook that does not fit is left off and the module is {@link Status#DEGRADED}, with a warning. A hook a
 * version is not expected to have ({@link Hook#since}, {@link Hook#until}) is simply not applied.
 */
public final class ModuleChecks {

    /** How a module stands; the label is {@code /metrics}' {@code status}. */
    public enum Status {
        ABSENT("absent"), APPLIED("applied"), DEGRADED("degraded"), NOT_APPLIED("not_applied");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What a check of one module in one class loader found.
     *
     * @param fitting  the hooks that apply in that loader
     * @param problems each hook that does not fit, and why
     */
    public record Result(InstrumentationModule module, Status status, FrameworkVersion version, Set<Hook> fitting,
                         List<String> problems) {

        /** {@code langchain4j 1.19.0 applied}, as the start line says it. */
        public String summary() {
            return module.name() + " " + version + " " + (status == Status.NOT_APPLIED ? "NOT APPLIED" : status.label());
        }
    }

    private final List<InstrumentationModule> modules;
    private final ClassLoader agent;
    private final Consumer<String> diagnostics;
    private final Map<InstrumentationModule, Map<ClassLoader, Result>> results = new LinkedHashMap<>();
    /** The worst status each module reached in any class loader, read by the pipeline on every call. */
    private final Map<String, Status> worst = new ConcurrentHashMap<>();
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    /** The first result of each module that does not apply somewhere: what its refusal says. */
    private final Map<String, Result> notApplied = new ConcurrentHashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<AdviceReferences.Reference>> referencesByAdvice = new ConcurrentHashMap<>();
    /** Each module's hooks in force, made once: the instrumentation and the checks share these very objects. */
    private final Map<InstrumentationModule, List<Hook>> hooks = new LinkedHashMap<>();

    /**
     * @param filterDiscovery whether discovery hooks are installed at all
     * @param agent           the class loader the advice class files are read from
     */
    public ModuleChecks(List<InstrumentationModule> modules, boolean filterDiscovery, ClassLoader agent,
                        Consumer<String> diagnostics) {
        this.modules = List.copyOf(modules);
        this.agent = agent;
        this.diagnostics = diagnostics;
        for (InstrumentationModule m : modules) {
            List<Hook> inForce = new ArrayList<>();
            for (Hook h : m.hooks()) {
                if (filterDiscovery || h.role() != Hook.Role.FILTERS_DISCOVERY) {
                    inForce.add(h);
                }
            }
            hooks.put(m, List.copyOf(inForce));
            results.put(m, new WeakHashMap<>());
            worst.put(m.name(), m.markerClass() == null ? Status.APPLIED : Status.ABSENT);
        }
    }

    public List<InstrumentationModule> modules() {
        return modules;
    }

    /** The hooks in force: every module's, less discovery hooks when tool lists are not filtered. */
    public List<Hook> hooksOf(InstrumentationModule m) {
        return hooks.getOrDefault(m, List.of());
    }

    /** The module checked in {@code loader}: computed once per loader, reported the first time it does not fit. */
    public Result check(InstrumentationModule m, ClassLoader loader) {
        Map<ClassLoader, Result> byLoader = results.get(m);
        synchronized (byLoader) {
            Result r = byLoader.get(loader);
            if (r == null) {
                r = compute(m, loader);
                byLoader.put(loader, r);
                record(r);
            }
            return r;
        }
    }

    /**
     * ByteBuddy could not transform a type a hook that guards calls is on: that hook does not apply, so the module's
     * calls are denied as for a hook that does not fit.
     */
    public void transformFailed(InstrumentationModule m, Hook hook, ClassLoader loader, Throwable failure) {
        FrameworkVersion v = FrameworkVersion.of(loader, m.versionArtifact(), m.markerClass());
        Status status = hook.role().stopsCalls() ? Status.NOT_APPLIED : Status.DEGRADED;
        record(new Result(m, status, v, Set.of(), List.of(hook.describe() + " could not be woven in: " + failure)));
    }

    /**
     * The reason every call the named module serves is denied, or null while it is not {@link Status#NOT_APPLIED}
     * anywhere. One map read: the pipeline asks on every call.
     */
    public String refusal(String moduleName) {
        return refusals.isEmpty() ? null : refusals.get(moduleName);
    }

    /**
     * The modules that do not apply in some class loader, with the first such result; empty (and one read) while all
     * apply, which the pipeline relies on: it asks on every call.
     */
    public java.util.Collection<Result> notApplied() {
        return notApplied.values();
    }

    /** Each module's worst status in any class loader so far, for {@code /metrics}. */
    public Map<String, Status> statuses() {
        Map<String, Status> out = new LinkedHashMap<>();
        for (InstrumentationModule m : modules) {
            out.put(m.name(), worst.get(m.name()));
        }
        return Collections.unmodifiableMap(out);
    }

    private void record(Result r) {
        worst.merge(r.module().name(), r.status(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        if (r.status() == Status.NOT_APPLIED) {
            notApplied.putIfAbsent(r.module().name(), r);
            refusals.putIfAbsent(r.module().name(), "the " + r.module().name() + " integration does not fit "
                    + r.module().name() + " " + r.version() + " found in this application ("
                    + String.join("; ", r.problems()) + "), so its tool calls are denied");
        }
        if ((r.status() == Status.NOT_APPLIED || r.status() == Status.DEGRADED)
                && reported.add(r.module().name() + r.version() + r.problems())) {
            boolean sensor = r.module().sensedEgress() != null;
            String consequence = sensor
                    ? "not applied, so calls of tools whose policy restricts " + r.module().sensedEgress().key()
                    + " egress are denied (that egress could not be checked)"
                    : r.status() == Status.NOT_APPLIED
                    ? "not applied, so every " + r.module().name() + " tool call is denied"
                    : "degraded (its tool calls are still guarded)";
            diagnostics.accept("toolguard: " + r.module().name() + " " + r.version() + ": " + consequence + ": "
                    + String.join("; ", r.problems()) + " (this agent supports " + r.module().name() + " "
                    + r.module().supportedVersions() + ")");
        }
    }

    private Result compute(InstrumentationModule m, ClassLoader loader) {
        if (m.markerClass() == null) {
            return new Result(m, Status.APPLIED, FrameworkVersion.UNKNOWN, Set.copyOf(hooksOf(m)), List.of());
        }
        // the bootstrap loader (the JDK classes an egress sensor hooks) is read through the system loader, which
        // delegates to it
        ClassLoader lookup = loader != null ? loader : ClassLoader.getSystemClassLoader();
        if (lookup == null || lookup.getResource(m.markerClass().replace('.', '/') + ".class") == null) {
            return new Result(m, Status.ABSENT, FrameworkVersion.UNKNOWN, Set.of(), List.of());
        }
        FrameworkVersion version = FrameworkVersion.of(lookup, m.versionArtifact(), m.markerClass());
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(lookup));
        Set<Hook> fitting = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        boolean callsUnguarded = false;
        for (Hook h : hooksOf(m)) {
            if ((h.since() != null && !version.atLeast(h.since())) || (h.until() != null && version.atLeast(h.until()))) {
                continue; // not expected of this version
            }
            String problem = problem(h, pool);
            if (problem == null) {
                fitting.add(h);
            } else if (!problem.isEmpty()) {
                problems.add(h.describe() + " " + problem);
                callsUnguarded |= h.role().stopsCalls();
            }
        }
        Status status = callsUnguarded ? Status.NOT_APPLIED : problems.isEmpty() ? Status.APPLIED : Status.DEGRADED;
        return new Result(m, status, version, Collections.unmodifiableSet(fitting), List.copyOf(problems));
    }

    /** Why a hook does not fit the classes of {@code pool}; null when it fits, empty when it does not apply here. */
    private String problem(Hook h, TypePool pool) {
        TypePool.Resolution target = pool.describe(h.type());
        if (!target.isResolved()) {
            return h.optionalType() ? "" : "finds no class " + h.type();
        }
        TypeDescription type = target.resolve();
        try {
            if (type.getDeclaredMethods().filter(h.methods()).isEmpty()) {
                return "finds no such method";
            }
        } catch (RuntimeException unreadable) {
            return "cannot read the methods of " + h.type() + " (" + unreadable.getMessage() + ")";
        }
        Set<AdviceReferences.Reference> refs;
        try {
            refs = referencesByAdvice.computeIfAbsent(h.advice(), a -> {
                try {
                    return AdviceReferences.of(a, agent);
                } catch (IOException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        } catch (RuntimeException e) {
            return "cannot read its advice (" + e.getMessage() + ")";
        }
        List<String> missing = new ArrayList<>();
        for (AdviceReferences.Reference r : refs) {
            if (!present(r, pool)) {
                missing.add(r.toString());
            }
        }
        return missing.isEmpty() ? null : "needs what this version lacks: " + String.join(", ", missing);
    }

    private static boolean present(AdviceReferences.Reference r, TypePool pool) {
        TypePool.Resolution owner = pool.describe(r.owner().replace('/', '.'));
        if (!owner.isResolved()) {
            return false;
        }
        if (r.kind() == AdviceReferences.Reference.Kind.TYPE) {
            return true;
        }
        try {
            Set<String> seen = new HashSet<>();
            List<TypeDefinition> todo = new ArrayList<>(List.of(owner.resolve()));
            while (!todo.isEmpty()) {
                TypeDefinition t = todo.remove(todo.size() - 1);
                if (!seen.add(t.asErasure().getName())) {
                    continue;
                }
                if (r.kind() == AdviceReferences.Reference.Kind.METHOD) {
                    for (MethodDescription m : t.getDeclaredMethods()) {
                        if (m.getInternalName().equals(r.name()) && m.asDefined().getDescriptor().equals(r.descriptor())) {
                            return true;
                        }
                    }
                } else {
                    for (FieldDescription f : t.getDeclaredFields()) {
                        if (f.getName().equals(r.name()) && f.asDefined().getDescriptor().equals(r.descriptor())) {
                            return true;
                        }
                    }
                }
                if (t.getSuperClass() != null) {
                    todo.add(t.getSuperClass());
                }
                todo.addAll(t.getInterfaces());
            }
        } catch (RuntimeException unreadable) {
            return false;
        }
        return false;
    }
}
