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
 * start that fails before it can). Rather than leave every tool unguarded, each method that a class's own file shows
 * to be a tool is defined refusing ({@link RefusingMethods}), as a method of a class that cannot be instrumented is;
 * the class's other methods ({@code main} among them) run. A class's own file shows: a tool annotation of a built-in
 * module or of a {@code rules.yaml} entry on the method, a {@code class:} entry naming the class, an
 * {@code implements:} entry naming its super class or one of its interfaces (not a type further up).
 *
 * <p>It needs ASM and the constant-pool reader, both loaded here before it is installed, and reads the config and its
 * rules files with the agent's own readers when those load. Tools by an annotation on a super type, by an
 * {@code implements:} entry further up, or through a framework's hooks are not covered, and the agent says so.
 */
public final class LastResort {

    private LastResort() {
    }

    /**
     * Installs the refusing transformer for classes loaded from now on.
     *
     * @param agentArgs the agent's options, to find the config and its {@code rules.yaml} files if they can be read
     */
    public static void install(Instrumentation inst, String agentArgs) {
        List<ToolRule> entries = rulesFileEntries(agentArgs);
        List<ToolRule> rules = new java.util.ArrayList<>(Modules.annotationRules(Modules.ALL));
        rules.addAll(entries);
        java.util.Set<String> descriptors = new ToolRules(rules, Modules.parameterNaming()).annotationDescriptors();
        List<ClassToolRule> byClass = entries.stream().filter(ClassToolRule.class::isInstance).map(ClassToolRule.class::cast)
                .toList();
        List<SubtypeToolRule> bySuperType = entries.stream().filter(SubtypeToolRule.class::isInstance)
                .map(SubtypeToolRule.class::cast).toList();
        ClassFileHeader.Needles mentions = new ClassFileHeader.Needles(List.copyOf(descriptors));
        // ASM's classes are loaded now, by refusing a class once (this one's file): a class first needed inside
        // transform, from a jar that is failing, would fail there
        try (java.io.InputStream own = LastResort.class.getResourceAsStream("LastResort.class")) {
            if (own == null || RefusingMethods.of(own.readAllBytes(), LastResort.class.getName()) == null) {
                throw new IllegalStateException("the refusal cannot be written");
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the refusal cannot be written", e);
        }
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                    byte[] classFile) {
                if (loader == null || name == null || redefined != null || classFile == null) {
                    return null; // the JDK's own classes, and nothing is retransformed
                }
                try {
                    String binaryName = name.replace('/', '.');
                    ClassFileHeader header = ClassFileHeader.read(classFile, mentions);
                    if (header == null) {
                        return null; // no class file ASM could read either
                    }
                    List<String> direct = new java.util.ArrayList<>(List.of(header.interfaceNames()));
                    direct.add(header.superName());
                    List<java.util.function.Predicate<String>> named = new java.util.ArrayList<>();
                    byClass.stream().filter(r -> r.namesClass(binaryName)).forEach(r -> named.add(r::namesMethod));
                    bySuperType.stream().filter(r -> direct.contains(r.superType())).forEach(r -> named.add(r::namesMethod));
                    if (!header.mentions() && named.isEmpty()) {
                        return null;
                    }
                    return RefusingMethods.of(classFile, binaryName, descriptors,
                            method -> named.stream().anyMatch(n -> n.test(method)));
                } catch (RuntimeException | LinkageError unreadable) {
                    return null;
                }
            }
        });
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
