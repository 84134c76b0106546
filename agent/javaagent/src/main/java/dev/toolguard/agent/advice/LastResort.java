package dev.toolguard.agent.advice;

import dev.toolguard.agent.config.ConfigResolver;
import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.file.RulesFile;
import dev.toolguard.instrumentation.prefilter.ClassFileHeader;
import dev.toolguard.instrumentation.rule.ClassToolRule;
import dev.toolguard.instrumentation.rule.SubtypeToolRule;
import dev.toolguard.instrumentation.rule.ToolRule;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * What still guards tools when the agent's runtime cannot be reached at all: {@code AgentMain} could not load, link or
 * initialize it (a jar missing a class, a class that fails its static initializer), so no pipeline, no ByteBuddy
 * installation and no failed start's guard exist (SPEC §13.5 says a failed start guards everything; this is the
 * start that fails before it can). Rather than leave tools unguarded, each method that the class files of a class and
 * of its super types show to be a tool is defined refusing ({@link RefusingMethods}), as a method of a class that
 * cannot be instrumented is; the class's other methods ({@code main} among them) run. Those files show: a tool
 * annotation of a built-in module or of a {@code rules.yaml} entry on the method or on a method of the same name in
 * a super type (so every overload of that name refuses: which one the annotation meant is not worked out here), a
 * {@code class:} entry naming the class, an {@code implements:} entry naming any of its super types.
 *
 * <p>Tools that reach the application through a framework (an MCP server's handlers, a function callback, a
 * programmatic tool) carry no annotation to see. Each framework module names a fuse type, a class every one of its
 * tool calls makes (SPEC §13.4); the last resort refuses that class's constructors, so no tool call of the framework
 * goes on, as when the module does not fit the framework's version.
 *
 * <p>It needs ASM and the constant-pool reader, both loaded here before it is installed, and reads the config and its
 * rules files with the agent's own readers when those load. Super types' class files are read through the loading
 * class's loader, as resources, once per loader. Classes loaded before (an attach's, or at JVM start an
 * ahead-of-time cache's) are retransformed through the same transformer when their files show something to refuse.
 */
public final class LastResort {

    private LastResort() {
    }

    /**
     * Installs the refusing transformer for classes loaded from now on, and retransforms the classes loaded before
     * that it would have refused something of: an attach's, and at JVM start those an ahead-of-time cache (Java 25's
     * {@code -XX:AOTCache}) loaded before {@code premain}.
     *
     * @param agentArgs the agent's options, to find the config and its {@code rules.yaml} files if they can be read
     * @return how many classes loaded before could not be retransformed
     */
    public static int install(Instrumentation inst, String agentArgs) {
        List<ToolRule> entries = rulesFileEntries(agentArgs);
        List<ToolRule> rules = new java.util.ArrayList<>(Modules.annotationRules(Modules.ALL));
        rules.addAll(entries);
        java.util.Set<String> descriptors = new ToolRules(rules, Modules.parameterNaming()).annotationDescriptors();
        List<ClassToolRule> byClass = entries.stream().filter(ClassToolRule.class::isInstance).map(ClassToolRule.class::cast)
                .toList();
        List<SubtypeToolRule> bySuperType = entries.stream().filter(SubtypeToolRule.class::isInstance)
                .map(SubtypeToolRule.class::cast).toList();
        java.util.Set<String> fuses = fuseTypes();
        ClassFileHeader.Needles mentions = new ClassFileHeader.Needles(List.copyOf(descriptors));
        Ancestry ancestry = new Ancestry(mentions, descriptors);
        // ASM's classes are loaded now, by refusing a class once (this one's file): a class first needed inside
        // transform, from a jar that is failing, would fail there
        try (java.io.InputStream own = LastResort.class.getResourceAsStream("LastResort.class")) {
            byte[] file = own == null ? null : own.readAllBytes();
            if (file == null || RefusingMethods.of(file, LastResort.class.getName()) == null
                    || Ancestry.annotatedMethods(file, descriptors) == null) {
                throw new IllegalStateException("the refusal cannot be written");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the refusal cannot be written", e);
        }
        ClassLoader own = LastResort.class.getClassLoader();
        ClassFileTransformer refusing = new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] classFile) {
                if (loader == null || loader == own || name == null || classFile == null) {
                    return null; // the JDK's own classes and the agent's
                }
                try {
                    String binaryName = name.replace('/', '.');
                    ClassFileHeader header = ClassFileHeader.read(classFile, mentions);
                    if (header == null) {
                        return null; // no class file ASM could read either
                    }
                    Ancestry.Inherited inherited = ancestry.of(loader, header);
                    List<java.util.function.Predicate<String>> named = new java.util.ArrayList<>();
                    byClass.stream().filter(r -> r.namesClass(binaryName)).forEach(r -> named.add(r::namesMethod));
                    bySuperType.stream().filter(r -> inherited.superTypes().contains(r.superType()))
                            .forEach(r -> named.add(r::namesMethod));
                    if (!inherited.annotatedMethods().isEmpty()) {
                        named.add(inherited.annotatedMethods()::contains);
                    }
                    boolean fuse = fuses.contains(binaryName);
                    if (!header.mentions() && named.isEmpty() && !fuse) {
                        return null;
                    }
                    return RefusingMethods.of(classFile, binaryName, descriptors,
                            method -> named.stream().anyMatch(n -> n.test(method)), fuse);
                } catch (RuntimeException | LinkageError unreadable) {
                    return null;
                }
            }
        };
        inst.addTransformer(refusing, true);
        return refuseLoaded(inst, refusing, own);
    }

    /**
     * The classes the application loaded before: each one whose class file the transformer would refuse
     * something of is retransformed through it. Which ones is asked of the transformer itself, on the class file
     * its loader serves, so that the classes retransformed are the few that need it. Returns how many could not be.
     */
    private static int refuseLoaded(Instrumentation inst, ClassFileTransformer refusing, ClassLoader own) {
        int failed = 0;
        for (Class<?> type : inst.getAllLoadedClasses()) {
            ClassLoader loader = type.getClassLoader();
            if (loader == null || loader == own || type.isArray() || type.isPrimitive() || type.isHidden()
                    || !inst.isModifiableClass(type)) {
                continue;
            }
            String name = type.getName().replace('.', '/');
            byte[] file;
            try (java.io.InputStream in = loader.getResourceAsStream(name + ".class")) {
                file = in == null ? null : in.readAllBytes();
            } catch (java.io.IOException | RuntimeException unreadable) {
                file = null;
            }
            try {
                // a class whose file its loader does not serve (made at run time) is retransformed to be looked at
                if (file == null || refusing.transform(loader, name, null, null, file) != null) {
                    inst.retransformClasses(type);
                }
            } catch (Exception | LinkageError e) {
                failed++;
            }
        }
        return failed;
    }

    /** The binary names of the built-in modules' fuse types: one is made for every tool call of a framework. */
    private static java.util.Set<String> fuseTypes() {
        java.util.Set<String> types = new java.util.HashSet<>();
        for (dev.toolguard.agent.instrument.InstrumentationModule module : Modules.ALL) {
            for (dev.toolguard.agent.instrument.Hook hook : module.hooks()) {
                if (hook.role() == dev.toolguard.agent.instrument.Hook.Role.FUSE) {
                    types.add(hook.type());
                }
            }
        }
        return types;
    }

    /**
     * The entries of the config's {@code rules.yaml} files, read with the agent's own readers if they load (the
     * entries a broken file can be read to name, too); none when they do not: the start is failing already.
     */
    private static List<ToolRule> rulesFileEntries(String agentArgs) {
        List<ToolRule> entries = new java.util.ArrayList<>();
        try {
            for (java.nio.file.Path file : ConfigResolver.resolve(agentArgs).config().rulesFiles()) {
                RulesFile.Result read = RulesFile.read(file);
                entries.addAll(read.guarded());
            }
        } catch (RuntimeException | LinkageError unreadable) {
            // the annotations alone, then
        }
        return entries;
    }
}
