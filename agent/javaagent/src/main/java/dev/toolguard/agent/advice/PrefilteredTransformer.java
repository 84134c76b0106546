package dev.toolguard.agent.advice;

import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;

/**
 * ByteBuddy's transformer behind a first test of each class as it loads ({@link ToolInstaller#mayMatch}): a class no
 * rule, hook or sensor can match is passed over before ByteBuddy describes it, which for most of an application's
 * classes is most of what the agent would spend on them. Retransformations (at start, after an attach, a resubmission)
 * are ByteBuddy's alone: it has matched those classes already. A failure of the test itself passes the class on to
 * ByteBuddy, never over it.
 */
final class PrefilteredTransformer extends ResettableClassFileTransformer.WithDelegation {

    /** The first test: false only when nothing can match the class. */
    @FunctionalInterface
    interface FirstTest {
        boolean mayMatch(ClassLoader loader, String internalName, byte[] classFile);
    }

    private final FirstTest test;

    PrefilteredTransformer(ResettableClassFileTransformer delegate, FirstTest test) {
        super(delegate);
        this.test = test;
    }

    private boolean passOver(ClassLoader loader, String name, Class<?> redefined, byte[] bytes) {
        if (redefined != null || name == null || bytes == null) {
            return false;
        }
        try {
            return !test.mayMatch(loader, name, bytes);
        } catch (RuntimeException bug) {
            return false; // ByteBuddy's full match decides
        }
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        return passOver(loader, name, redefined, bytes) ? null
                : classFileTransformer.transform(loader, name, redefined, domain, bytes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        return passOver(loader, name, redefined, bytes) ? null
                : classFileTransformer.transform(module, loader, name, redefined, domain, bytes);
    }
}
