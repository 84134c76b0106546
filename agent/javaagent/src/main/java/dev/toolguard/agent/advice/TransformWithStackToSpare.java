package dev.toolguard.agent.advice;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A class loaded with almost no stack left (deep recursion, or an attacker that arranges it) would have the agent's
 * transformer overflow, and the JVM would then define the class as it is: a tool with no guard. The transformation
 * is tried on the loading thread as usual; when it overflowed, it is done again on a thread of its own with a large
 * stack, and the loading thread waits for it. Where even that cannot run, the class is transformed again once loaded
 * (the installer's resubmission).
 */
final class TransformWithStackToSpare extends ResettableClassFileTransformer.WithDelegation {

    /** Set on the loading thread when ByteBuddy reported an overflow while transforming: the retry then follows. */
    private static final ThreadLocal<Boolean> OVERFLOWED = new ThreadLocal<>();
    private static final long RETRY_STACK_BYTES = 16L << 20;
    private static final String RETRY_THREAD = "toolguard-transform";

    private TransformWithStackToSpare(ResettableClassFileTransformer delegate) {
        super(delegate);
    }

    /** Wraps ByteBuddy's transformer. */
    static final class Decorator implements AgentBuilder.TransformerDecorator {
        @Override
        public ResettableClassFileTransformer decorate(ResettableClassFileTransformer transformer) {
            return new TransformWithStackToSpare(transformer);
        }
    }

    /**
     * Called by the error listener: true when the failure is an overflow on a loading thread, which is retried at
     * once and so is no error to report yet.
     */
    static boolean retries(Throwable failure) {
        if (failure instanceof StackOverflowError && !RETRY_THREAD.equals(Thread.currentThread().getName())) {
            OVERFLOWED.set(Boolean.TRUE);
            return true;
        }
        return false;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        try {
            OVERFLOWED.remove();
            byte[] transformed = classFileTransformer.transform(loader, name, redefined, domain, bytes);
            if (OVERFLOWED.get() == null) {
                return transformed;
            }
        } catch (StackOverflowError overflowed) {
            // below: again, with stack to spare
        }
        OVERFLOWED.remove();
        return withStackToSpare(() -> classFileTransformer.transform(loader, name, redefined, domain, bytes));
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        try {
            OVERFLOWED.remove();
            byte[] transformed = classFileTransformer.transform(module, loader, name, redefined, domain, bytes);
            if (OVERFLOWED.get() == null) {
                return transformed;
            }
        } catch (StackOverflowError overflowed) {
            // below: again, with stack to spare
        }
        OVERFLOWED.remove();
        return withStackToSpare(() -> classFileTransformer.transform(module, loader, name, redefined, domain, bytes));
    }

    private interface Transformation {
        byte[] run() throws IllegalClassFormatException;
    }

    private static byte[] withStackToSpare(Transformation transformation) throws IllegalClassFormatException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread retry = new Thread(null, () -> {
            try {
                result.set(transformation.run());
            } catch (Throwable t) {
                result.set(t);
            }
        }, RETRY_THREAD, RETRY_STACK_BYTES);
        retry.setDaemon(true);
        retry.start();
        boolean interrupted = false;
        while (true) {
            try {
                retry.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Object r = result.get();
        if (r instanceof IllegalClassFormatException e) {
            throw e;
        }
        return r instanceof byte[] b ? b : null;
    }
}
