package dev.toolguard.agent.advice;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.pool.TypePool;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A class whose transformation fails while it is being defined is defined as it is: a tool with no guard, until the
 * installer's resubmission transforms it again once loaded (tens of milliseconds in which its tools could run
 * undecided). Two causes are known: a class loaded with almost no stack left (deep recursion, or an attacker that
 * arranges it) has the transformer overflow; and a transient failure of the transformation itself (a linkage error
 * while ByteBuddy's own classes are still being loaded by another thread at start, say). The transformation is tried
 * on the loading thread as usual; when it failed, it is done again at once on a thread of its own with a large stack,
 * and the loading thread waits for it. Only a failure there too is reported, and left to the resubmission.
 */
final class TransformWithStackToSpare extends ResettableClassFileTransformer.WithDelegation {

    /** Set on the loading thread when ByteBuddy reported a failure while transforming: the retry then follows. */
    private static final ThreadLocal<Boolean> FAILED = new ThreadLocal<>();
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
     * Called by the error listener: true when the failure happened on a loading thread inside this transformer, where
     * it is retried at once, and so is no error to report yet. A failure on the retry thread is reported.
     */
    static boolean retries(Throwable failure) {
        if (RETRY_THREAD.equals(Thread.currentThread().getName()) || FAILED.get() == null || missingType(failure)) {
            return false;
        }
        FAILED.set(Boolean.TRUE);
        return true;
    }

    /**
     * A type the class refers to is not on the class path (a Spring class whose optional servlet API is absent): the
     * same on every try, so reported at once rather than retried on a thread of its own.
     */
    private static boolean missingType(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TypePool.Resolution.NoSuchTypeException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        // inside this transformer a reported failure is retried; a class loaded while transforming another one
        // comes through here too, so the outer transformation's flag is put back afterwards
        Boolean outer = FAILED.get();
        FAILED.set(Boolean.FALSE);
        try {
            byte[] transformed = classFileTransformer.transform(loader, name, redefined, domain, bytes);
            if (FAILED.get() != Boolean.TRUE) {
                return transformed;
            }
        } catch (StackOverflowError overflowed) {
            // below: again, with stack to spare
        } finally {
            restore(outer);
        }
        return withStackToSpare(() -> classFileTransformer.transform(loader, name, redefined, domain, bytes));
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        Boolean outer = FAILED.get(); // as above
        FAILED.set(Boolean.FALSE);
        try {
            byte[] transformed = classFileTransformer.transform(module, loader, name, redefined, domain, bytes);
            if (FAILED.get() != Boolean.TRUE) {
                return transformed;
            }
        } catch (StackOverflowError overflowed) {
            // below: again, with stack to spare
        } finally {
            restore(outer);
        }
        return withStackToSpare(() -> classFileTransformer.transform(module, loader, name, redefined, domain, bytes));
    }

    private static void restore(Boolean outer) {
        if (outer == null) {
            FAILED.remove();
        } else {
            FAILED.set(outer);
        }
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
