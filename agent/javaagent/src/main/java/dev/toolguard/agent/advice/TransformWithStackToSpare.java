package dev.toolguard.agent.advice;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.pool.TypePool;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A class whose transformation fails while it is being defined would be defined as it is: a tool with no guard, until
 * the installer's resubmission transforms it again once loaded (tens of milliseconds in which its tools could run
 * undecided), or for good when the failure is the same every time (a type its methods name is missing, a bug of
 * ours). Two transient causes are known: a class loaded with almost no stack left (deep recursion, or an attacker
 * that arranges it) has the transformer overflow; and a linkage error while ByteBuddy's own classes are still being
 * loaded by another thread at start. The transformation is tried on the loading thread as usual; when it failed, it is
 * done again at once on a thread of its own with a large stack, and the loading thread waits for it. When that fails
 * too (or the failure is one that repeats), the class is defined with each of its methods refusing ({@link Refusal}),
 * if it may hold tools: a tool of it is then denied, never run undecided (SPEC §13.1). The failure is reported, and
 * the resubmission may still transform the class properly later.
 */
final class TransformWithStackToSpare extends ResettableClassFileTransformer.WithDelegation {

    /**
     * The class as it is with each of its methods refusing, for a class whose transformation failed; null when the
     * class may hold no tools (a sensed or hooked type's failure is its module's to handle).
     */
    @FunctionalInterface
    interface Refusal {
        byte[] refusing(ClassLoader loader, String internalName, byte[] classFile);
    }

    /** How the attempt of this thread's innermost transformation went, as the error listener learnt it. */
    private enum Attempt { CLEAN, FAILED, FAILED_FOR_GOOD }

    /** Set on a thread inside this transformer; the error listener marks a failure in it ({@link #retries}). */
    private static final ThreadLocal<Attempt> ATTEMPT = new ThreadLocal<>();
    private static final long RETRY_STACK_BYTES = 16L << 20;
    private static final String RETRY_THREAD = "toolguard-transform";

    /** Starts the retry's thread (the tests' own starter fails as a process out of threads would). */
    @FunctionalInterface
    interface Starter {
        void start(Thread thread);
    }

    /**
     * ByteBuddy's guard against circularity, as its default one (per thread), but one this transformer can ask: while
     * a thread holds it (it is transforming a class, or installing, which matches the loaded classes by reflection),
     * ByteBuddy transforms nothing else on that thread, and says nothing of it.
     */
    static final class CircularityLock implements AgentBuilder.CircularityLock {
        private final ThreadLocal<Boolean> held = new ThreadLocal<>();

        @Override
        public boolean acquire() {
            if (held.get() != null) {
                return false;
            }
            held.set(Boolean.TRUE);
            return true;
        }

        @Override
        public void release() {
            held.remove();
        }

        boolean heldHere() {
            return held.get() != null;
        }
    }

    private final Refusal refusal;
    private final PrefilteredTransformer.FirstTest firstTest;
    private final Starter starter;
    private final CircularityLock circularityLock;

    private TransformWithStackToSpare(ResettableClassFileTransformer delegate, Decorator decorator) {
        super(delegate);
        this.refusal = decorator.refusal;
        this.firstTest = decorator.firstTest;
        this.starter = decorator.starter;
        this.circularityLock = decorator.circularityLock;
    }

    /** Wraps ByteBuddy's transformer. */
    static final class Decorator implements AgentBuilder.TransformerDecorator {
        private final Refusal refusal;
        private final PrefilteredTransformer.FirstTest firstTest;
        private final Starter starter;
        private final CircularityLock circularityLock = new CircularityLock();

        /**
         * @param firstTest whether a class may be matched at all (the installer's first test): a class loaded while
         *                  another is being transformed is transformed on a thread of its own only then
         */
        Decorator(Refusal refusal, PrefilteredTransformer.FirstTest firstTest) {
            this(refusal, firstTest, Thread::start);
        }

        Decorator(Refusal refusal, PrefilteredTransformer.FirstTest firstTest, Starter starter) {
            this.refusal = refusal;
            this.firstTest = firstTest;
            this.starter = starter;
        }

        /** The guard against circularity ByteBuddy is to use: the one the transformer asks. */
        CircularityLock circularityLock() {
            return circularityLock;
        }

        @Override
        public ResettableClassFileTransformer decorate(ResettableClassFileTransformer transformer) {
            return new TransformWithStackToSpare(transformer, this);
        }
    }

    /**
     * Called by the error listener: true when the failure happened on a loading thread inside this transformer, where
     * it is retried at once, and so is no error to report yet. A failure on the retry thread, or one that would repeat,
     * is reported (and the class refused if it may hold tools).
     */
    static boolean retries(Throwable failure) {
        if (ATTEMPT.get() == null) {
            return false;
        }
        if (RETRY_THREAD.equals(Thread.currentThread().getName()) || missingType(failure)) {
            ATTEMPT.set(Attempt.FAILED_FOR_GOOD);
            return false;
        }
        ATTEMPT.set(Attempt.FAILED);
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
        return transformOrRefuse(() -> classFileTransformer.transform(loader, name, redefined, domain, bytes),
                loader, name, redefined, bytes);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        return transformOrRefuse(() -> classFileTransformer.transform(module, loader, name, redefined, domain, bytes),
                loader, name, redefined, bytes);
    }

    private byte[] transformOrRefuse(Transformation transformation, ClassLoader loader, String name,
                                     Class<?> redefined, byte[] bytes) throws IllegalClassFormatException {
        // inside this transformer a reported failure is retried; a class loaded while transforming another one
        // comes through here too, so the outer transformation's state is put back afterwards
        if (circularityLock.heldHere() && redefined == null && mayMatch(loader, name, bytes)) {
            // loaded while ByteBuddy is busy on this thread (describing a loaded class by reflection, at an attach's
            // retransformation, loads the types its methods name): ByteBuddy transforms nothing then, so the class
            // would be defined as it is; it is transformed on a thread of its own, where the guard is free, and this
            // one waits
            return onThreadOfItsOwn(transformation, true, loader, name, bytes);
        }
        Attempt outer = ATTEMPT.get();
        ATTEMPT.set(Attempt.CLEAN);
        Attempt attempt;
        try {
            byte[] transformed = transformation.run();
            attempt = ATTEMPT.get();
            if (attempt == Attempt.CLEAN) {
                return transformed;
            }
        } catch (IllegalClassFormatException e) {
            throw e;
        } catch (RuntimeException | Error failed) {
            // ByteBuddy throws after it reported the failure ("Failed transformation of ..."); an overflow is
            // thrown unreported: either way the class would be defined as it is
            attempt = ATTEMPT.get() == Attempt.FAILED_FOR_GOOD ? Attempt.FAILED_FOR_GOOD : Attempt.FAILED;
        } finally {
            restore(outer);
        }
        return onThreadOfItsOwn(transformation, attempt == Attempt.FAILED, loader, name, bytes);
    }

    private boolean mayMatch(ClassLoader loader, String name, byte[] bytes) {
        try {
            return name != null && bytes != null && firstTest.mayMatch(loader, name, bytes);
        } catch (RuntimeException | StackOverflowError bug) {
            return true; // as the prefilter: a failed test passes the class on
        }
    }

    /**
     * The transformation tried (again) on a thread with stack to spare, then, if it failed, the class refused if it
     * may hold tools; without a thread to be had, refused on this one.
     */
    private byte[] onThreadOfItsOwn(Transformation transformation, boolean retry, ClassLoader loader, String name,
                                    byte[] bytes) throws IllegalClassFormatException {
        Transformation refused = () -> name == null || bytes == null ? null : refusal.refusing(loader, name, bytes);
        try {
            return withStackToSpare(() -> {
                if (retry) {
                    Object again = transformedCleanly(transformation);
                    if (again != FAILED_RETRY) {
                        return (byte[]) again;
                    }
                }
                return refused.run();
            });
        } catch (NoThreadToSpare noThread) {
            // the process has no thread to give (out of threads or memory): refused here, without the retry
            return refused.run();
        }
    }

    /** The retry's thread could not be started. */
    private static final class NoThreadToSpare extends Exception {
        private static final long serialVersionUID = 1L;

        NoThreadToSpare(Throwable cause) {
            super(cause);
        }
    }

    /**
     * The retry, on the retry thread: its class file (null for "as it is") when it went through with no failure
     * reported; otherwise {@link #FAILED_RETRY}.
     */
    private static Object transformedCleanly(Transformation transformation) {
        ATTEMPT.set(Attempt.CLEAN);
        try {
            byte[] transformed = transformation.run();
            return ATTEMPT.get() == Attempt.CLEAN ? transformed : FAILED_RETRY;
        } catch (IllegalClassFormatException | RuntimeException | Error failed) {
            return FAILED_RETRY;
        } finally {
            ATTEMPT.remove();
        }
    }

    private static final Object FAILED_RETRY = new Object();

    private static void restore(Attempt outer) {
        if (outer == null) {
            ATTEMPT.remove();
        } else {
            ATTEMPT.set(outer);
        }
    }

    private interface Transformation {
        byte[] run() throws IllegalClassFormatException;
    }

    private byte[] withStackToSpare(Transformation transformation)
            throws IllegalClassFormatException, NoThreadToSpare {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread retry = new Thread(null, () -> {
            try {
                result.set(transformation.run());
            } catch (Throwable t) {
                result.set(t);
            }
        }, RETRY_THREAD, RETRY_STACK_BYTES);
        retry.setDaemon(true);
        try {
            starter.start(retry);
        } catch (OutOfMemoryError | RuntimeException cannotStart) {
            throw new NoThreadToSpare(cannotStart);
        }
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
