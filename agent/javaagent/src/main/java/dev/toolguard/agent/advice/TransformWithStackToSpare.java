package dev.toolguard.agent.advice;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 *
 * <p>The loading thread waits for that thread at most {@link #WAIT}: a class loader that is not parallel capable
 * holds its lock while it loads, and the transformation may need that same lock (to read a class file, or load a
 * type it names), so the two threads could wait for each other for good. At the bound the loading thread goes on as
 * after a failed retry: the failure is said ({@link Failure}) and the class refused if it may hold tools. The late
 * outcome of the other thread is never used; once that thread ends it hands the class to ByteBuddy's resubmission
 * ({@link Resubmission}), which transforms it properly once it is loaded.
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
    /** Set on a thread of its own ({@link OwnThread}): its failures are reported at once, or not at all once given up. */
    private static final ThreadLocal<OwnThread> OWN_THREAD = new ThreadLocal<>();
    /** Set on a thread handing a class to ByteBuddy's resubmission ({@link Resubmission}): the class's name. */
    private static final ThreadLocal<String> HANDED_BACK = new ThreadLocal<>();
    private static final long RETRY_STACK_BYTES = 16L << 20;
    private static final String RETRY_THREAD = "toolguard-transform";

    /**
     * How long a loading thread waits for a transformation on a thread of its own. A cold transformation (the first
     * of a framework's classes, ByteBuddy and the type pool still loading their own classes) takes well under a second
     * even on a busy two-core machine, so ten times that never cuts a slow one short; and a host that waits ten seconds
     * to load a class, with a line on standard error saying why, is stuck visibly rather than for good.
     */
    static final Duration WAIT = Duration.ofSeconds(10);

    /**
     * Says a failure the transformer finds itself (a transformation it stopped waiting for) as the installer's error
     * listener says ByteBuddy's: printed, counted, and the module of a hooked or sensed type told.
     */
    @FunctionalInterface
    interface Failure {
        void failed(String typeName, ClassLoader loader, Throwable why);
    }

    /** Why a class was defined without its transformation: the loading thread stopped waiting for it. */
    static final class Unfinished extends Exception {
        private static final long serialVersionUID = 1L;

        Unfinished(String typeName, Duration waited) {
            super("transforming " + typeName + " did not finish within " + said(waited) + " (its class loader may be"
                    + " locked by the thread loading it), so it was defined without waiting longer; it is transformed"
                    + " again once loaded, when that transformation ends", null, false, false);
        }

        /** Said after "could not instrument <class>: ", as ByteBuddy's failures are: the message alone reads best. */
        @Override
        public String toString() {
            return getMessage();
        }

        private static String said(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
    }

    /**
     * ByteBuddy's question, before it transforms a class as it loads, whether to leave it to the resubmission instead
     * (transformed once it is loaded): yes only for the class a transformation that was given up hands back.
     */
    static final class Resubmission implements AgentBuilder.RedefinitionListenable.ResubmissionImmediateMatcher {
        @Override
        public boolean matches(String typeName, ClassLoader loader, JavaModule module) {
            String handedBack = HANDED_BACK.get();
            return handedBack != null && handedBack.equals(typeName);
        }
    }

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
    private final Failure failure;
    private final PrefilteredTransformer.FirstTest firstTest;
    private final Starter starter;
    private final Duration wait;
    private final CircularityLock circularityLock;

    private TransformWithStackToSpare(ResettableClassFileTransformer delegate, Decorator decorator) {
        super(delegate);
        this.refusal = decorator.refusal;
        this.failure = decorator.failure;
        this.firstTest = decorator.firstTest;
        this.starter = decorator.starter;
        this.wait = decorator.wait;
        this.circularityLock = decorator.circularityLock;
    }

    /** Wraps ByteBuddy's transformer. */
    static final class Decorator implements AgentBuilder.TransformerDecorator {
        private final Refusal refusal;
        private final Failure failure;
        private final PrefilteredTransformer.FirstTest firstTest;
        private final Starter starter;
        private final Duration wait;
        private final CircularityLock circularityLock = new CircularityLock();
        private final Resubmission resubmission = new Resubmission();

        /**
         * @param failure   where a transformation the loading thread stopped waiting for is said
         * @param firstTest whether a class may be matched at all (the installer's first test): a class loaded while
         *                  another is being transformed is transformed on a thread of its own only then
         */
        Decorator(Refusal refusal, Failure failure, PrefilteredTransformer.FirstTest firstTest) {
            this(refusal, failure, firstTest, Thread::start, WAIT);
        }

        /** The tests' own: a starter that fails, a short wait. */
        Decorator(Refusal refusal, Failure failure, PrefilteredTransformer.FirstTest firstTest, Starter starter,
                  Duration wait) {
            this.refusal = refusal;
            this.failure = failure;
            this.firstTest = firstTest;
            this.starter = starter;
            this.wait = wait;
        }

        /** The guard against circularity ByteBuddy is to use: the one the transformer asks. */
        CircularityLock circularityLock() {
            return circularityLock;
        }

        /** What ByteBuddy's resubmission is to ask ({@code resubmitImmediate}): the classes handed back to it. */
        Resubmission resubmission() {
            return resubmission;
        }

        @Override
        public ResettableClassFileTransformer decorate(ResettableClassFileTransformer transformer) {
            return new TransformWithStackToSpare(transformer, this);
        }
    }

    /**
     * Called by the error listener: true when the failure happened on a loading thread inside this transformer, where
     * it is retried at once, and so is no error to report yet; true too on a thread of its own the loading thread
     * stopped waiting for, which said so already. A failure on the retry thread, or one that would repeat, is reported
     * (and the class refused if it may hold tools).
     */
    static boolean retries(Throwable failure) {
        OwnThread own = OWN_THREAD.get();
        if (own != null) {
            // no retry is left on a thread of its own: its failure is said at once, unless the loading thread gave up
            // on it and said that instead
            if (ATTEMPT.get() != null) {
                ATTEMPT.set(Attempt.FAILED_FOR_GOOD);
            }
            return !own.mayReport();
        }
        if (ATTEMPT.get() == null) {
            return false;
        }
        if (missingType(failure)) {
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
     * may hold tools; without a thread to be had, refused on this one; when that thread does not finish within the
     * wait, said and refused on this one, the late outcome handed to the resubmission.
     */
    private byte[] onThreadOfItsOwn(Transformation transformation, boolean retry, ClassLoader loader, String name,
                                    byte[] bytes) throws IllegalClassFormatException {
        Transformation refused = () -> name == null || bytes == null ? null : refusal.refusing(loader, name, bytes);
        OwnThread own = new OwnThread();
        try {
            own.start(starter, () -> {
                if (retry) {
                    Object again = transformedCleanly(transformation);
                    if (again != FAILED_RETRY) {
                        return (byte[]) again;
                    }
                }
                return own.givenUp() ? null : refused.run(); // given up: refused on the loading thread already
            }, () -> handBack(transformation, name));
        } catch (NoThreadToSpare noThread) {
            // the process has no thread to give (out of threads or memory): refused here, without the retry
            return refusedHere(refused);
        }
        if (own.finishedWithin(wait)) {
            return own.result();
        }
        // the other thread may be waiting for a lock this one holds: this one goes on as after a failed retry
        if (!own.failureSaidBefore()) {
            String typeName = name == null ? "a class without a name" : name.replace('/', '.');
            failure.failed(typeName, loader, new Unfinished(typeName, wait));
        }
        return refusedHere(refused);
    }

    /**
     * A class file no JVM defines (a class file's magic, and nothing after it): the JVM refuses it with a
     * {@code ClassFormatError}, so the class is not loaded at all. What a refusal returns when it cannot itself be
     * made: the loading thread short of stack is the reason it is made here, and rewriting a class takes stack.
     */
    static final byte[] UNDEFINABLE = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE};

    /**
     * The refusal made on the loading thread, which may be short of stack: should that overflow, the JVM would define
     * the class as it is, tools and all, so the class is made undefinable instead (its loading fails; nothing of it
     * runs, guarded or not). Returning a constant takes no stack to speak of.
     */
    private static byte[] refusedHere(Transformation refused) throws IllegalClassFormatException {
        try {
            return refused.run();
        } catch (StackOverflowError overflow) {
            return UNDEFINABLE;
        }
    }

    /** The thread of its own could not be started. */
    private static final class NoThreadToSpare extends Exception {
        private static final long serialVersionUID = 1L;

        NoThreadToSpare(Throwable cause) {
            super(cause);
        }
    }

    /**
     * A class whose transformation was given up, handed to ByteBuddy's resubmission once that transformation ended, on
     * its thread: asked again, ByteBuddy leaves the class to the resubmission ({@link Resubmission}), which transforms
     * it once it is loaded, whether the late outcome was a failure (then ByteBuddy has it already) or not.
     */
    private static void handBack(Transformation transformation, String name) {
        if (name == null) {
            return; // no class the resubmission could find
        }
        HANDED_BACK.set(name.replace('/', '.'));
        try {
            transformation.run();
        } catch (IllegalClassFormatException | RuntimeException | Error failed) {
            // said already (at the bound), refused: nothing more to do
        } finally {
            HANDED_BACK.remove();
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

    /**
     * Work on a thread with stack to spare, as the loading thread waiting for it and that thread share it: whichever
     * comes first, the work finishing or the loading thread giving up, decides, and the other one abides by it.
     */
    private static final class OwnThread {
        private static final int RUNNING = 0;
        /** A failure of the work was reported on its thread. */
        private static final int FAILURE_SAID = 1;
        private static final int FINISHED = 2;
        private static final int GIVEN_UP = 3;

        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private final CountDownLatch finished = new CountDownLatch(1);
        private volatile Object result;
        /** The loading thread's own note, at the bound. */
        private boolean failureSaidBefore;

        /**
         * Starts the work on a thread of its own; {@code afterGivenUp} runs there when the work ends after the loading
         * thread gave up on it.
         */
        void start(Starter starter, Transformation work, Runnable afterGivenUp) throws NoThreadToSpare {
            Thread thread = new Thread(null, () -> {
                OWN_THREAD.set(this);
                Object r;
                try {
                    r = work.run();
                } catch (Throwable t) {
                    r = t;
                }
                if (!finish(r)) {
                    afterGivenUp.run();
                }
            }, RETRY_THREAD, RETRY_STACK_BYTES);
            thread.setDaemon(true);
            try {
                starter.start(thread);
            } catch (OutOfMemoryError | RuntimeException cannotStart) {
                throw new NoThreadToSpare(cannotStart);
            }
        }

        /** On the work's thread, about to report a failure: false when the loading thread gave up (and said so). */
        boolean mayReport() {
            return state.compareAndExchange(RUNNING, FAILURE_SAID) != GIVEN_UP;
        }

        boolean givenUp() {
            return state.get() == GIVEN_UP;
        }

        /** On the work's thread: false when the loading thread gave up, so the result is nobody's. */
        private boolean finish(Object r) {
            result = r;
            for (int s = state.get(); s != GIVEN_UP; s = state.get()) {
                if (state.compareAndSet(s, FINISHED)) {
                    finished.countDown();
                    return true;
                }
            }
            return false;
        }

        /**
         * On the loading thread: whether the work finished within {@code wait}; if not, it is given up. An interrupt
         * does not cut the wait short; the thread's interrupt status is kept.
         */
        boolean finishedWithin(Duration wait) {
            long deadline = System.nanoTime() + wait.toNanos();
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        if (finished.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                            return true;
                        }
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            for (int s = state.get(); s != FINISHED; s = state.get()) {
                if (state.compareAndSet(s, GIVEN_UP)) {
                    failureSaidBefore = s == FAILURE_SAID;
                    return false;
                }
            }
            return true; // finished at the bound
        }

        /** Whether the work's thread reported a failure before the loading thread gave up (said once, then). */
        boolean failureSaidBefore() {
            return failureSaidBefore;
        }

        /** The finished work's class file (null for "as it is"). */
        byte[] result() throws IllegalClassFormatException {
            Object r = result;
            if (r instanceof IllegalClassFormatException e) {
                throw e;
            }
            return r instanceof byte[] b ? b : null;
        }
    }
}
