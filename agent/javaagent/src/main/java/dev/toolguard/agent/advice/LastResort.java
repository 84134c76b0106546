package dev.toolguard.agent.advice;

import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.instrumentation.prefilter.ClassFileHeader;
import dev.toolguard.instrumentation.rule.AnnotatedToolRule;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * What still guards tools when the agent's runtime cannot be reached at all: {@code AgentMain} could not load, link or
 * initialize it (a jar missing a class, a class that fails its static initializer), so no pipeline, no ByteBuddy
 * installation and no failed start's guard exist (SPEC §13.5 says a failed start guards everything; this is the
 * start that fails before it can). Rather than leave every tool unguarded, each method annotated with a tool
 * annotation of a built-in module is defined refusing ({@link RefusingMethods}), as a method of a class that cannot be
 * instrumented is; the class's other methods ({@code main} among them) run.
 *
 * <p>It needs only ASM and the constant-pool reader, both loaded here before it is installed. It covers what can be
 * seen in a class's own file: a method annotated in the class itself. Tools by {@code rules.yaml}, by an annotation on
 * a super type, or through a framework's hooks are not covered, and the agent says so.
 */
public final class LastResort {

    private LastResort() {
    }

    /** Installs the refusing transformer for classes loaded from now on. */
    public static void install(Instrumentation inst) {
        java.util.Set<String> descriptors = Modules.annotationRules(Modules.ALL).stream()
                .filter(AnnotatedToolRule.class::isInstance).map(r -> ((AnnotatedToolRule) r).annotation())
                .map(name -> "L" + name.replace('.', '/') + ";").collect(java.util.stream.Collectors.toSet());
        ClassFileHeader.Needles needles = new ClassFileHeader.Needles(List.copyOf(descriptors));
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
                    return ClassFileHeader.read(classFile, needles).mentions()
                            ? RefusingMethods.of(classFile, name.replace('/', '.'), descriptors) : null;
                } catch (RuntimeException | LinkageError unreadable) {
                    return null;
                }
            }
        });
    }
}
