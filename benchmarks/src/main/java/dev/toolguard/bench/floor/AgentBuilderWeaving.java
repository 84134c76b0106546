package dev.toolguard.bench.floor;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * The check as ByteBuddy advice, woven by an {@code AgentBuilder}'s transformer behind the same first test on the
 * bytes (ToolGuard puts its own first test in front of its {@code AgentBuilder} too).
 */
final class AgentBuilderWeaving implements ClassFileTransformer {

    private final Needle needle;
    private final ClassFileTransformer builder;

    private AgentBuilderWeaving(Needle needle, ClassFileTransformer builder) {
        this.needle = needle;
        this.builder = builder;
    }

    static AgentBuilderWeaving of(String annotation) {
        ClassFileTransformer builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .type(declaresMethod(isAnnotatedWith(named(annotation))))
                .transform((b, type, loader, module, domain) ->
                        b.visit(Advice.to(CheckAdvice.class).on(isAnnotatedWith(named(annotation)))))
                .makeRaw();
        return new AgentBuilderWeaving(new Needle(annotation), builder);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) throws IllegalClassFormatException {
        if (className == null || !needle.in(classFile)) {
            return null;
        }
        return builder.transform(loader, className, redefined, domain, classFile);
    }
}
