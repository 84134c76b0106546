package dev.toolguard.bench.floor;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.named;

/** The check as ByteBuddy advice, woven by redefining each candidate class from its bytes: no {@code AgentBuilder}. */
final class AdviceWeaving implements ClassFileTransformer {

    private final AsmVisitorWrapper advice;

    AdviceWeaving(String annotation) {
        this.advice = Advice.to(CheckAdvice.class).on(isAnnotatedWith(named(annotation)));
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) {
        String name = className.replace('/', '.');
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypeDescription type = TypePool.Default.of(locator).describe(name).resolve();
        return new ByteBuddy().with(TypeValidation.DISABLED).redefine(type, locator).visit(advice).make().getBytes();
    }
}
