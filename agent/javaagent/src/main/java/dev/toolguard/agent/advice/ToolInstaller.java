package dev.toolguard.agent.advice;

import dev.toolguard.agent.egress.UnseenEgress;
import dev.toolguard.agent.instrument.EgressFuse;
import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import dev.toolguard.agent.instrument.LambdaBodyAdvice;
import dev.toolguard.agent.instrument.ModuleFuse;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import dev.toolguard.agent.instrument.check.UnmatchedEntries;
import dev.toolguard.instrumentation.rule.ParameterNaming;
import dev.toolguard.instrumentation.rule.ToolMethods;
import dev.toolguard.api.internal.GuardBridge;
import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.prefilter.ImplementationTest;
import dev.toolguard.instrumentation.prefilter.RecentClassFiles;
import dev.toolguard.instrumentation.prefilter.ToolPrefilter;
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

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Installs the tool advice, every module's hooks and the egress sensors (SPEC §18) with one ByteBuddy transformer:
 * retransformation (so classes loaded before an attach are guarded too), no class format changes, descriptions read
 * from class files, the agent itself ignored, whatever class loader defines a class.
 *
 * <p>One registration serves every rule, every hook and every sensor, so that they add up: a hook and a
 * {@code rules.yaml} entry on the same class both apply (ByteBuddy applies only the first registration that matches a
 * type), and each loaded class is matched once, in one retransformation pass at start. A module's hooks apply in a
 * class loader only after the module was checked there ({@link ModuleChecks}; sensors have checks of their own), and
 * a class with tools of a module has that module checked before its first call can be decided.
 *
 * <p>Tools are never looked for in the JDK or the bootstrap loader's classes; sensors are installed there too (the
 * JDK's {@code ProcessBuilder} and HTTP clients), by type name. Before ByteBuddy describes a class as it loads,
 * {@link #mayMatch} decides most classes from their names and constant pools ({@link ToolPrefilter}).
 */
public final class ToolInstaller {

    private final ToolRules rules;
    private final ModuleChecks checks;
    private final UnmatchedEntries unmatched;
    private final ToolRegistry registry;
    private final Consumer<String> diagnostics;
    private final AtomicInteger errors = new AtomicInteger();
    /** Each hooked framework type's hooks, with their modules. */
    private final Map<String, List<ModuleHook>> hooksByType = new HashMap<>();
    /** Each sensed type's sensors (the JDK's included), with their modules. */
    private final Map<String, List<ModuleHook>> sensorsByType = new HashMap<>();
    /** Each type with places for a sensor's fuse besides its hooked types ({@link EgressFuse.At}), with the modules. */
    private final Map<String, List<SensorFuse>> egressFusesByType = new HashMap<>();
    /** Sensors on every implementation of a type (a JDBC driver's statements), behind a super-type first test. */
    private final List<ModuleHook> sensorsOnImplementations = new ArrayList<>();
    /** The first test of the sensors on implementations: whether a class may implement a type they hook. */
    private final ImplementationTest implementations;
    private final Map<String, InstrumentationModule> modulesByName = new HashMap<>();
    private final ToolPrefilter prefilter;

    /**
     * A hook with its module and the checks that say whether it fits.
     *
     * @param implementing for a sensor on implementations, the types it applies to; else null
     */
    private record ModuleHook(ModuleChecks checks, InstrumentationModule module, Hook hook,
                              ElementMatcher<TypeDescription> implementing) {
    }

    /** A place for a sensor's fuse, with the sensor and the checks that say whether it fits. */
    private record SensorFuse(ModuleChecks checks, InstrumentationModule module, EgressFuse.At at) {
    }

    /**
     * @param sensorChecks the egress sensors' modules and their checks (none after a failed start, where every
     *                     guarded call is denied and nothing of a tool's body runs)
     * @param unmatched    where {@code rules.yaml} entries that match no method are said (SPEC §7)
     */
    public ToolInstaller(ToolRules rules, ModuleChecks checks, ModuleChecks sensorChecks, UnmatchedEntries unmatched,
                         ToolRegistry registry, Consumer<String> diagnostics) {
        this.rules = rules;
        this.unmatched = unmatched;
        this.checks = checks;
        this.registry = registry;
        this.diagnostics = diagnostics;
        for (InstrumentationModule m : checks.modules()) {
            modulesByName.put(m.name(), m);
            for (Hook h : checks.hooksOf(m)) {
                hooksByType.computeIfAbsent(h.type(), t -> new ArrayList<>()).add(new ModuleHook(checks, m, h, null));
            }
        }
        for (InstrumentationModule m : sensorChecks.modules()) {
            for (Hook h : sensorChecks.hooksOf(m)) {
                if (h.implementations()) {
                    sensorsOnImplementations.add(new ModuleHook(sensorChecks, m, h, not(isInterface())
                            .and(hasSuperType(named(h.type())))));
                } else {
                    sensorsByType.computeIfAbsent(h.type(), t -> new ArrayList<>())
                            .add(new ModuleHook(sensorChecks, m, h, null));
                }
            }
            for (EgressFuse.At at : m.egressFuses()) {
                egressFusesByType.computeIfAbsent(at.type(), t -> new ArrayList<>())
                        .add(new SensorFuse(sensorChecks, m, at));
            }
        }
        // super types are read where the loader finds them, as the type pool reads them for the full match, and
        // once for both first tests, which follow the same super types one right after the other
        RecentClassFiles superTypes = new RecentClassFiles(ToolInstaller::classFile);
        this.prefilter = new ToolPrefilter(rules, superTypes);
        this.implementations = new ImplementationTest(sensorsOnImplementations.stream().map(mh -> mh.hook().type())
                .collect(java.util.stream.Collectors.toSet()), superTypes);
    }

    /** Name prefixes of the classes nothing is put into: the agent itself, its libraries, other agents' glue. */
    private static final List<String> NEVER_INSTRUMENTED = List.of("net.bytebuddy.", "dev.toolguard.agent.",
            "dev.toolguard.api.", "dev.toolguard.policy.", "dev.toolguard.instrumentation.", "dev.toolguard.shaded.",
            "io.opentelemetry.javaagent.", "co.elastic.apm.agent.");

    /** Name prefixes of classes that are never tools: the JDK, and what is never instrumented. */
    private static final List<String> NEVER_TOOLS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("java.", "javax.", "jdk.", "sun.", "com.sun."), NEVER_INSTRUMENTED.stream())
            .toList();

    /** Classes that are never tools: the JDK, the agent itself, its relocated libraries, other agents' glue. */
    public static ElementMatcher.Junction<TypeDescription> neverTools() {
        return byPrefix(NEVER_TOOLS).or(isSynthetic());
    }

    private static ElementMatcher.Junction<TypeDescription> byPrefix(List<String> prefixes) {
        ElementMatcher.Junction<TypeDescription> m = none();
        for (String p : prefixes) {
            m = m.or(nameStartsWith(p));
        }
        return m;
    }

    private static boolean startsWithAny(String name, List<String> prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static final ElementMatcher<TypeDescription> NEVER_TOOL_TYPES = neverTools();

    /**
     * At JVM start: the first test of each class is in place when this returns, and the transformer is installed
     * behind it on a thread of its own ({@link InstallGate}), so that the application starts beside the installation;
     * a class that may hold tools, or that a hook or sensor instruments, waits for it.
     */
    public void installBehindGate(Instrumentation inst) {
        if (applicationClassesLoaded(inst)) {
            // a JVM started from an ahead-of-time cache (Java 25's -XX:AOTCache) loads and links the application
            // classes the cache holds before premain, where no transformer saw them, and their methods can be
            // called as soon as premain returns: they are retransformed before it does, as on an attach
            install(inst);
            return;
        }
        InstallGate gate = new InstallGate(this::mayMatch, this::refusingWithoutInstallation, diagnostics);
        // every class the application loads from now on passes the gate, so none of them is a candidate of the
        // installation's retransformation pass: a class the first test ruled out would only be matched in full again
        gated = true;
        inst.addTransformer(gate, true);
        gate.installBeside(() -> install(gate.capturing(inst)));
    }

    /** Set when the transformer is installed behind an {@link InstallGate}, which every application class passed. */
    private volatile boolean gated;

    /**
     * Whether a class that may hold tools is loaded already: one of a loader other than the bootstrap's and the
     * agent's, that no rule rules out by its name (the agent's launcher, which the application's loader defines, is).
     */
    private static boolean applicationClassesLoaded(Instrumentation inst) {
        ClassLoader own = ToolInstaller.class.getClassLoader();
        for (Class<?> type : inst.getAllLoadedClasses()) {
            ClassLoader loader = type.getClassLoader();
            if (loader != null && loader != own && !type.isArray() && !startsWithAny(type.getName(), NEVER_TOOLS)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A class the gate held when no transformer could be installed: refused if it may hold tools, as a failed
     * transformation's class is, and so is a framework hook's class, whose tool calls would otherwise go undecided. A
     * sensed class is left as it is: no tool's body can run to use it.
     */
    byte[] refusingWithoutInstallation(ClassLoader loader, String internalName, byte[] classFile) {
        String name = internalName.replace('/', '.');
        if (loader != null && hooksByType.containsKey(name) && !startsWithAny(name, NEVER_TOOLS)) {
            return RefusingMethods.of(classFile, name);
        }
        return refusing(loader, internalName, classFile);
    }

    public void install(Instrumentation inst) {
        ElementMatcher<TypeDescription> toolTypes = rules.types();
        ScheduledExecutorService resubmitter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "toolguard-retransform");
            t.setDaemon(true);
            return t;
        });
        TransformWithStackToSpare.Decorator spare = new TransformWithStackToSpare.Decorator(this::refusing,
                this::transformFailed, this::mayMatch);
        new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.BatchAllocator.ForFixedSize.ofSize(100))
                .with(new Candidates())
                // a class whose transformation failed (a transformer that ran out of stack, say) is transformed again
                // once it is loaded, rather than left as it is
                .withResubmission(new AgentBuilder.RedefinitionStrategy.ResubmissionScheduler.AtFixedRate(
                        resubmitter, 50, TimeUnit.MILLISECONDS))
                .resubmitOnError()
                // and a class whose transformation the loading thread stopped waiting for, once that one ended
                .resubmitImmediate(spare.resubmission())
                .with(AgentBuilder.DescriptionStrategy.Default.HYBRID)
                .with(new CachedTypeDescriptions())
                // a plugin's loader whose parent is the platform or bootstrap loader cannot read the API's class files
                // (the agent appends its jar to the bootstrap path, whose resources the JDK does not search): the
                // annotations ToolGuard itself defines are read from the agent jar instead
                .with(new AgentBuilder.LocationStrategy.Compound(AgentBuilder.LocationStrategy.ForClassLoader.STRONG,
                        new AgentBuilder.LocationStrategy.Simple(new ApiClassFiles())))
                // innermost: a class being loaded that no rule, hook or sensor can match is never described; outermost
                // the retry with stack to spare, which an overflow in the prefilter reaches too
                .with(transformer -> new PrefilteredTransformer(transformer, this::mayMatch))
                .with(spare)
                .with(spare.circularityLock())
                // advice is inlined and adds no types, so nothing is ever injected (and no Unsafe is touched)
                .with(AgentBuilder.InjectionStrategy.Disabled.INSTANCE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(errorListener)
                // a JDK class in a named module (java.base, java.net.http) must read the bridge's unnamed module
                .assureReadEdgeTo(inst, GuardBridge.class)
                .ignore(byPrefix(NEVER_INSTRUMENTED))
                .type((type, loader, module, redefined, domain) -> sensed(type, loader)
                        || (loader != null && !NEVER_TOOL_TYPES.matches(type)
                        && (hooksByType.containsKey(type.getName()) || toolTypes.matches(type))))
                .transform(this::transform)
                .installOn(inst);
    }

    /**
     * The classes already loaded that the retransformation pass of {@link #install} looks at: those the type matcher
     * can match. At JVM start nearly all loaded classes are the JDK's and the agent's own, and most of the pass was
     * ByteBuddy describing and matching them one by one; their names decide them here. A JDK or bootstrap class stays
     * a candidate only when a sensor names it; any class of another loader (an attach's application classes, whose
     * tools only the full match can find) stays one, as does every class whose name cannot be read.
     */
    private final class Candidates implements AgentBuilder.RedefinitionStrategy.DiscoveryStrategy {
        @Override
        public Iterable<Iterable<Class<?>>> resolve(Instrumentation inst) {
            List<Class<?>> candidates = new ArrayList<>();
            for (Class<?> type : inst.getAllLoadedClasses()) {
                if (mayMatchLoaded(type)) {
                    candidates.add(type);
                }
            }
            return List.of(candidates);
        }
    }

    /** The name test of a loaded class for the retransformation pass: false only when the type matcher is false. */
    boolean mayMatchLoaded(Class<?> type) {
        String name;
        ClassLoader loader;
        try {
            if (type.isArray() || type.isPrimitive()) {
                return false; // never modifiable
            }
            name = type.getName();
            loader = type.getClassLoader();
        } catch (RuntimeException | LinkageError unknown) {
            return true;
        }
        if (sensorsByType.containsKey(name) || egressFusesByType.containsKey(name)
                || (mayImplementASensedType(name) && implementsASensedType(type))) {
            return !startsWithAny(name, NEVER_INSTRUMENTED);
        }
        return !gated && loader != null && !startsWithAny(name, NEVER_TOOLS);
    }

    /**
     * Whether a sensor (or its fuse) may apply to the type: by its name, or as an implementation of a sensed JDBC type.
     */
    private boolean sensed(TypeDescription type, ClassLoader loader) {
        return sensorsByType.containsKey(type.getName()) || egressFusesByType.containsKey(type.getName())
                || !implementationSensors(type, loader).isEmpty();
    }

    private List<ModuleHook> implementationSensors(TypeDescription type, ClassLoader loader) {
        String name = type.getName();
        // the first test's "no" (kept per loader) spares the full subtype match of every class it passed for tools
        if (!mayImplementASensedType(name) || !implementations.answeredMaybe(loader, name)) {
            return List.of();
        }
        List<ModuleHook> out = List.of();
        for (ModuleHook mh : sensorsOnImplementations) {
            if (mh.implementing().matches(type)) {
                if (out.isEmpty()) {
                    out = new ArrayList<>();
                }
                out.add(mh);
            }
        }
        return out;
    }

    /**
     * The name test of the sensors on implementations: never the JDK's own classes, nor ToolGuard's. Whatever else a
     * class is called, its super types decide ({@link ImplementationTest}): a driver's {@code Stmt} is a statement.
     */
    private boolean mayImplementASensedType(String name) {
        return !sensorsOnImplementations.isEmpty() && !(name.startsWith("java.") || name.startsWith("jdk.")
                || name.startsWith("sun.") || (name.startsWith("com.sun.") && !name.startsWith("com.sun.mail."))
                || name.startsWith("dev.toolguard."));
    }

    /** Whether a loaded class implements a type the sensors on implementations hook, by its super types. */
    private boolean implementsASensedType(Class<?> type) {
        try {
            for (ModuleHook mh : sensorsOnImplementations) {
                if (hasSuperTypeNamed(type, mh.hook().type(), 0)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException | LinkageError unknown) {
            return true; // ByteBuddy's full match decides
        }
    }

    private static boolean hasSuperTypeNamed(Class<?> type, String name, int depth) {
        if (type == null || depth > 64) {
            return type != null;
        }
        if (type.getName().equals(name)) {
            return true;
        }
        for (Class<?> i : type.getInterfaces()) {
            if (hasSuperTypeNamed(i, name, depth + 1)) {
                return true;
            }
        }
        return hasSuperTypeNamed(type.getSuperclass(), name, depth + 1);
    }

    /**
     * The first test of a class as it loads, on its name and bytes alone: false only when no sensor, hook or rule can
     * match it, so ByteBuddy never describes it (the full match in {@link #install} decides the rest).
     *
     * @param internalName the class's name as the JVM gives it ({@code com/acme/Tools})
     */
    boolean mayMatch(ClassLoader loader, String internalName, byte[] classFile) {
        String name = internalName.replace('/', '.');
        if (sensorsByType.containsKey(name) || egressFusesByType.containsKey(name)
                || (mayImplementASensedType(name) && implementations.mayImplement(loader, name, classFile))) {
            return !startsWithAny(name, NEVER_INSTRUMENTED);
        }
        if (loader == null || startsWithAny(name, NEVER_TOOLS)) {
            return false;
        }
        return hooksByType.containsKey(name) || prefilter.mayHoldTools(loader, name, classFile);
    }

    /**
     * A class that may hold tools and could not be instrumented, with each of its methods refusing
     * ({@link RefusingMethods}); null for any other class. A sensed or hooked type is left to its module's checks,
     * which deny its framework's calls or fuse its egress when its instrumentation failed.
     */
    byte[] refusing(ClassLoader loader, String internalName, byte[] classFile) {
        String name = internalName.replace('/', '.');
        if (loader == null || startsWithAny(name, NEVER_TOOLS) || hooksByType.containsKey(name)
                || sensorsByType.containsKey(name) || egressFusesByType.containsKey(name)
                || !prefilter.mayHoldTools(loader, name, classFile)) {
            return null;
        }
        byte[] refusing = RefusingMethods.of(classFile, name);
        String key = heldBackKey(name, loader);
        // said once per class; not for a class whose super type has no class file (the JVM cannot define it either:
        // said with its failure if it is defined after all)
        if (refusing != null && refusalsSaid.add(key) && !errorListener.heldBack.containsKey(key)) {
            diagnostics.accept("toolguard: every method of " + name + " is refused: it may hold tools, and it could"
                    + " not be instrumented");
        }
        return refusing;
    }

    /**
     * A transformation that failed without ByteBuddy knowing (the loading thread stopped waiting for it), said and
     * counted as ByteBuddy's failures are; a hooked or sensed type's module learns of it as of theirs.
     */
    void transformFailed(String typeName, ClassLoader loader, Throwable why) {
        errorListener.failed(typeName, loader, false, why);
    }

    private final ErrorListener errorListener = new ErrorListener();
    /** The classes ({@code name@loader}) whose refusal was said. */
    private final java.util.Set<String> refusalsSaid = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A class file as {@code loader} finds it (the API's from the agent jar), or null: what the type pool reads. */
    private static byte[] classFile(ClassLoader loader, String name) {
        try {
            ClassFileLocator.Resolution r = ClassFileLocator.ForClassLoader.of(loader).locate(name);
            if (!r.isResolved()) {
                r = API_CLASS_FILES.locate(name);
            }
            return r.isResolved() ? r.resolve() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private static final ClassFileLocator API_CLASS_FILES = new ApiClassFiles();

    /** Transformation errors seen so far (reported on standard error as they happen). */
    public int errors() {
        return errors.get();
    }

    private DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                                             JavaModule module, java.security.ProtectionDomain domain) {
        // one list, so that a sensor both by name and on implementations (mail's Transport) puts its fuse once
        List<ModuleHook> sensors = sensorsByType.getOrDefault(type.getName(), List.of());
        List<ModuleHook> onImplementations = implementationSensors(type, loader);
        if (!onImplementations.isEmpty()) {
            sensors = java.util.stream.Stream.concat(sensors.stream(), onImplementations.stream()).toList();
        }
        builder = applySensors(builder, sensors, type, loader);
        builder = applyEgressFuses(builder, egressFusesByType.getOrDefault(type.getName(), List.of()), loader);
        if (loader == null || NEVER_TOOL_TYPES.matches(type)) {
            return builder; // tools and framework hooks are never looked for in the JDK
        }
        for (ModuleHook mh : hooksByType.getOrDefault(type.getName(), List.of())) {
            builder = applyIfFitting(builder, mh, loader);
        }
        ToolRules.Found found = rules.find(type);
        List<ToolRules.Match> tools = found.tools();
        List<ToolRules.Match> refused = List.of();
        String refusal = null;
        if (!found.misses().isEmpty()) {
            ToolRules.Miss mistyped = found.misses().stream().filter(ToolRules.Miss::refusesTheClass).findFirst().orElse(null);
            found.misses().forEach(unmatched::methodMissing);
            if (mistyped != null) {
                // an entry naming this very class meant a tool it does not have (a mistyped method): which method it
                // meant is not known, so none of the class's other public methods runs, decided or not
                refused = otherPublicMethods(type, tools);
                refusal = UnmatchedEntries.methodMissingText(mistyped) + "; none of the class's public methods may run"
                        + " until the entry is mended";
            } else if (unmatched.required()) {
                // the tool meant is not known, so nothing of the class runs undecided: its public methods are decided
                List<ToolRules.Match> all = new ArrayList<>(tools);
                all.addAll(otherPublicMethods(type, tools));
                tools = all;
            }
        }
        for (ToolRules.Match match : refused) {
            ToolMethod m = match.tool();
            // no tool name is known for it: its records name the method, as those of a class not instrumented do
            ToolMethod unnamed = new ToolMethod(m.className() + "#" + m.methodName(), m.className(), m.methodName(),
                    m.signature(), m.parameterNames(), m.ruleSet());
            builder = withToolAdvice(builder, match, registry.registerRefused(unnamed, refusal));
        }
        for (ToolRules.Match match : tools) {
            InstrumentationModule owner = modulesByName.get(match.tool().ruleSet());
            if (owner != null) {
                checks.check(owner, loader); // known before the tool's first call is decided
            }
            builder = withToolAdvice(builder, match, registry.register(match.tool()));
        }
        return builder;
    }

    /** The tool advice on one method, calling in with the id the method was registered under. */
    private DynamicType.Builder<?> withToolAdvice(DynamicType.Builder<?> builder, ToolRules.Match match, int id) {
        return builder.visit(Advice.withCustomMapping().bind(ToolAdvice.ToolId.class, id)
                .to(ToolAdviceFile.TYPE, ToolAdviceFile.LOCATOR)
                .withExceptionHandler(reportFailureAt(match.tool().signature()))
                .on(named(match.method().getName()).and(hasDescriptor(match.method().getDescriptor()))));
    }

    /**
     * The tool advice, described once from its class file, as the hooks' advice is. Described from the loaded class,
     * its annotations were read by reflection, which makes a proxy class per annotation type: at start, on the
     * loading thread of the first class with tools, about ten classes written (and their frames computed) by the JDK.
     */
    private static final class ToolAdviceFile {
        static final ClassFileLocator LOCATOR = new ClassFileLocator.Compound(
                ClassFileLocator.ForClassLoader.of(ToolInstaller.class.getClassLoader()), API_CLASS_FILES);
        static final TypeDescription TYPE = TypePool.Default.of(LOCATOR).describe(ToolAdvice.class.getName()).resolve();
    }

    /** As tools of their own name, the public methods a class declares besides its tools. */
    private static List<ToolRules.Match> otherPublicMethods(TypeDescription type, List<ToolRules.Match> tools) {
        List<ToolRules.Match> all = new ArrayList<>();
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (m.isPublic() && ToolMethods.guardable(m) && tools.stream().noneMatch(t -> t.method().equals(m))) {
                all.add(new ToolRules.Match(m, ToolMethods.of(m.getName(), type, m, List.of(), "rules",
                        ParameterNaming.COMPILED_NAMES, null)));
            }
        }
        return all;
    }

    /**
     * The sensors on one type: each hook that fits, and where the sensor does not fit this class loader its fuse on the
     * type's constructors (once per sensor). The loader is met only now, maybe inside the body of a guarded call that
     * was allowed before this was known; the fuse stops that call's egress ({@link EgressFuse}). Not in the bootstrap
     * loader: the JDK's sensors are checked before the first call is decided, so no body runs before that is known.
     */
    private static DynamicType.Builder<?> applySensors(DynamicType.Builder<?> builder, List<ModuleHook> sensors,
                                                       TypeDescription type, ClassLoader loader) {
        InstrumentationModule fused = null;
        for (ModuleHook mh : sensors) {
            ModuleChecks.Result r = mh.checks().check(mh.module(), loader);
            if (r.fitting().contains(mh.hook())) {
                builder = apply(builder, mh.module(), mh.hook(), loader);
            } else if (r.status() == ModuleChecks.Status.NOT_APPLIED && loader != null && !type.isInterface()
                    && mh.module() != fused && mh.module().sensedEgress() != null) {
                fused = mh.module();
                // not suppressed: the refusal is what the constructor throws
                builder = builder.visit(Advice.withCustomMapping()
                        .bind(EgressFuse.Kind.class, mh.module().sensedEgress().key())
                        .bind(EgressFuse.Unfit.class, UnseenEgress.unfit(r))
                        .to(EgressFuse.class).on(isConstructor()));
            }
        }
        return builder;
    }

    /**
     * The fuses a sensor puts, where it does not fit this class loader, on the places every request of its library
     * passes ({@link InstrumentationModule#egressFuses()}): so a call whose client was made outside it, before the
     * library was met, still cannot send unchecked. Nothing where the sensor fits, is absent, or in the bootstrap loader.
     */
    private static DynamicType.Builder<?> applyEgressFuses(DynamicType.Builder<?> builder, List<SensorFuse> fuses,
                                                           ClassLoader loader) {
        if (loader == null) {
            return builder;
        }
        for (SensorFuse f : fuses) {
            ModuleChecks.Result r = f.checks().check(f.module(), loader);
            if (r.status() == ModuleChecks.Status.NOT_APPLIED) {
                // not suppressed: the refusal is what the method throws
                builder = builder.visit(Advice.withCustomMapping()
                        .bind(EgressFuse.Kind.class, f.module().sensedEgress().key())
                        .bind(EgressFuse.Unfit.class, UnseenEgress.unfit(r))
                        .to(EgressFuse.class).on(f.at().methods()));
            }
        }
        return builder;
    }

    private static DynamicType.Builder<?> applyIfFitting(DynamicType.Builder<?> builder, ModuleHook mh,
                                                         ClassLoader loader) {
        return mh.checks().check(mh.module(), loader).fitting().contains(mh.hook())
                ? apply(builder, mh.module(), mh.hook(), loader) : builder;
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
        if (hook.role() == Hook.Role.SENSES_EGRESS) {
            // not suppressed: the refusal the bridge throws is what the instrumented method throws
            return builder.visit(Advice.to(adviceType, locator).on(hook.methods()));
        }
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

    /** How a class is named among the failures held back and the refusals said: {@code name@loader}. */
    private static String heldBackKey(String name, ClassLoader loader) {
        return name + "@" + System.identityHashCode(loader);
    }

    /** Most failures held back at once ({@link ErrorListener}); past it, each is said as it happens. */
    private static final int MOST_HELD_BACK = 10_000;

    /**
     * Says each failure to transform a class (counted in {@link #errors()}), except one that leaves nothing to guard:
     * a class, met as it loads, whose super type has no class file in its loader (a servlet filter without the
     * servlet API) can no more be defined by the JVM than described by ByteBuddy, so that failure is held back, not
     * said. Should the class be defined after all (its loader made the super type without a class file), ByteBuddy's
     * resubmission transforms it once loaded, and the failure held back is said then; a failure on any other missing
     * type (a parameter's, a field's), which the JVM would not stop at, is said at once.
     */
    private final class ErrorListener extends AgentBuilder.Listener.Adapter {
        /** The failures held back, by {@code name@loader}: said only if their class is met loaded. */
        private final Map<String, String> heldBack = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                            Throwable throwable) {
            if (!TransformWithStackToSpare.retries(throwable)) {
                failed(typeName, classLoader, loaded, throwable);
            } // else transformed again at once, with stack to spare: not an error yet
        }

        /** A failure to say (unless held back): ByteBuddy's, or one the transformer found itself. */
        void failed(String typeName, ClassLoader classLoader, boolean loaded, Throwable throwable) {
            String key = heldBackKey(typeName, classLoader);
            if (!loaded && heldBack.size() < MOST_HELD_BACK && !sensorsByType.containsKey(typeName)
                    && !hooksByType.containsKey(typeName)) {
                String superType = MissingSuperType.of(typeName, classLoader, throwable, ToolInstaller::classFile);
                if (superType != null) {
                    heldBack.put(key, "toolguard: could not instrument " + typeName + " as it loaded (its super type "
                            + superType + " has no class file in its class loader), and it was defined after all: "
                            + "its methods refuse until it is instrumented once loaded");
                    return;
                }
            }
            if (!heldBack.isEmpty()) {
                heldBack.remove(key); // said below instead
            }
            errors.incrementAndGet();
            List<ModuleHook> sensors = sensorsByType.getOrDefault(typeName, List.of());
            diagnostics.accept((sensors.isEmpty() ? "toolguard: could not instrument "
                    : "toolguard: could not install an egress sensor in ") + typeName + ": " + throwable);
            for (ModuleHook mh : sensors) {
                mh.checks().transformFailed(mh.module(), mh.hook(), classLoader, throwable);
            }
            for (ModuleHook mh : hooksByType.getOrDefault(typeName, List.of())) {
                mh.checks().transformFailed(mh.module(), mh.hook(), classLoader, throwable);
            }
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            sayIfHeldBack(type.getName(), classLoader, loaded);
        }

        @Override
        public void onIgnored(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded) {
            sayIfHeldBack(type.getName(), classLoader, loaded);
        }

        /** A class whose failure was held back was defined after all: the failure is said now. */
        private void sayIfHeldBack(String typeName, ClassLoader classLoader, boolean loaded) {
            if (loaded && !heldBack.isEmpty()) {
                String said = heldBack.remove(heldBackKey(typeName, classLoader));
                if (said != null) {
                    errors.incrementAndGet();
                    diagnostics.accept(said);
                }
            }
        }
    }
}
