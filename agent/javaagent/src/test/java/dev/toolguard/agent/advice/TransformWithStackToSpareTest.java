package dev.toolguard.agent.advice;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A class whose transformation fails while it is defined would be defined unguarded (SPEC §13.1): the failure is
 * retried at once, and only a failure of the retry is reported. The delegate here plays ByteBuddy's transformer,
 * which reports a failure to the installer's error listener ({@link TransformWithStackToSpare#retries}) and then
 * answers "no transformation".
 */
class TransformWithStackToSpareTest {

    private static final byte[] ORIGINAL = {1};
    private static final byte[] GUARDED = {2};
    private static final byte[] REFUSING = {3};
    private static final TransformWithStackToSpare.Refusal NO_REFUSAL = (loader, name, bytes) -> null;
    /** The installer's first test, for a class no rule, hook or sensor can match. */
    private static final PrefilteredTransformer.FirstTest NONE_MATCH = (loader, name, bytes) -> false;
    /** Plays the installer's refusal of a class that may hold tools, recording the thread it ran on. */
    private final List<String> refusedOn = Collections.synchronizedList(new ArrayList<>());
    private final TransformWithStackToSpare.Refusal refusal = (loader, name, bytes) -> {
        refusedOn.add(Thread.currentThread().getName());
        return bytes == ORIGINAL ? REFUSING : null;
    };
    /** Plays the installer's error listener for a failure the transformer finds itself: what it was told. */
    private final List<String> said = Collections.synchronizedList(new ArrayList<>());
    private final TransformWithStackToSpare.Failure failure = (typeName, loader, why) -> said.add(typeName + ": " + why);
    /** The wait the tests give a transformation on a thread of its own, where it is to be cut short. */
    private static final Duration BRIEFLY = Duration.ofMillis(200);
    /** Lets a transformation held back by a test go on (counted down after each test that holds one back). */
    private final CountDownLatch release = new CountDownLatch(1);

    /** What one attempt of the delegate does, given its thread; records each attempt's thread name. */
    private static final class Delegate extends ResettableClassFileTransformer.AbstractBase {
        final List<String> attempts = Collections.synchronizedList(new ArrayList<>());
        final List<Boolean> reported = Collections.synchronizedList(new ArrayList<>());
        private final Function<Integer, Throwable> failureOfAttempt;
        ClassFileTransformer whileTransforming;
        /** What the class loaded while transforming was defined as. */
        byte[] nestedDefinedAs;
        /** As ByteBuddy's transformer: held while transforming; when held already, no transformation. */
        AgentBuilder.CircularityLock lock;
        /** As ByteBuddy does: after reporting a failure, throw "Failed transformation of ...". */
        boolean throwsAfterReporting;
        /** As ByteBuddy's resubmission: a class handed back to it is left to be transformed once loaded. */
        TransformWithStackToSpare.Resubmission resubmission;
        final List<String> handedBack = Collections.synchronizedList(new ArrayList<>());
        /** The attempt that waits for {@link #release} before it goes on (as one waiting for a loader's lock). */
        int heldAttempt = -1;
        CountDownLatch release;

        Delegate(Function<Integer, Throwable> failureOfAttempt) {
            this.failureOfAttempt = failureOfAttempt;
        }

        @Override
        public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                                byte[] bytes) {
            if (lock == null) {
                return attempt(loader, name, domain, bytes);
            }
            if (!lock.acquire()) {
                return null;
            }
            try {
                return attempt(loader, name, domain, bytes);
            } finally {
                lock.release();
            }
        }

        private byte[] attempt(ClassLoader loader, String name, ProtectionDomain domain, byte[] bytes) {
            if (resubmission != null && resubmission.matches(name.replace('/', '.'), loader, null)) {
                handedBack.add(name);
                return null;
            }
            int attempt = attempts.size();
            attempts.add(Thread.currentThread().getName());
            if (attempt == heldAttempt) {
                awaitRelease(release);
            }
            if (whileTransforming != null && attempt == 0) {
                ClassFileTransformer nested = whileTransforming;
                whileTransforming = null;
                try {
                    // a class loaded while transforming
                    nestedDefinedAs = nested.transform(loader, "Nested", null, domain, bytes);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
            Throwable failure = failureOfAttempt.apply(attempt);
            if (failure == null) {
                return GUARDED;
            }
            // as the installer's error listener: a failure not retried is an error to report
            reported.add(!TransformWithStackToSpare.retries(failure));
            if (throwsAfterReporting) {
                throw new IllegalStateException("Failed transformation of " + name, failure);
            }
            return null;
        }

        @Override
        public Iterator<AgentBuilder.Transformer> iterator(TypeDescription type, ClassLoader loader, JavaModule module,
                                                           Class<?> redefined, ProtectionDomain domain) {
            return Collections.emptyIterator();
        }

        @Override
        public boolean reset(Instrumentation inst, ResettableClassFileTransformer transformer,
                             AgentBuilder.RedefinitionStrategy strategy,
                             AgentBuilder.RedefinitionStrategy.DiscoveryStrategy discovery,
                             AgentBuilder.RedefinitionStrategy.BatchAllocator batches,
                             AgentBuilder.RedefinitionStrategy.Listener listener) {
            return false;
        }
    }

    private static void awaitRelease(CountDownLatch release) {
        try {
            assertThat(release.await(1, TimeUnit.MINUTES)).as("released").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] load(ClassFileTransformer t) throws Exception {
        return t.transform(TransformWithStackToSpareTest.class.getClassLoader(), "Tool", null, null, ORIGINAL);
    }

    @Test
    void aTransientFailureWhileDefiningIsRetriedAtOnceAndTheClassIsDefinedGuarded() throws Exception {
        Delegate delegate = new Delegate(attempt -> attempt == 0 ? new LinkageError("loaded twice") : null);

        byte[] defined = load(decorator(NO_REFUSAL, NONE_MATCH).decorate(delegate));

        assertThat(defined).isEqualTo(GUARDED);
        assertThat(delegate.attempts).hasSize(2);
        assertThat(delegate.attempts.get(1)).isEqualTo("toolguard-transform");
        assertThat(delegate.reported).containsExactly(false); // retried, so not an error (yet)
    }

    @Test
    void anOverflowIsRetriedWithStackToSpare() throws Exception {
        Delegate delegate = new Delegate(attempt -> attempt == 0 ? new StackOverflowError() : null);

        assertThat(load(decorator(NO_REFUSAL, NONE_MATCH).decorate(delegate))).isEqualTo(GUARDED);
        assertThat(delegate.attempts).hasSize(2);
    }

    @Test
    void aFailureOfTheRetryTooIsReportedAndTheClassDefinedRefusing() throws Exception {
        Delegate delegate = new Delegate(attempt -> new IllegalStateException("always"));

        assertThat(load(decorator(refusal, NONE_MATCH).decorate(delegate))).isEqualTo(REFUSING);
        assertThat(delegate.attempts).hasSize(2);
        assertThat(delegate.reported).containsExactly(false, true);
        assertThat(refusedOn).containsExactly("toolguard-transform");
    }

    @Test
    void aFailureByteBuddyThrowsAfterReportingIsRetriedAndThenRefusedToo() throws Exception {
        Delegate transient_ = new Delegate(attempt -> attempt == 0 ? new LinkageError("loaded twice") : null);
        transient_.throwsAfterReporting = true;
        assertThat(load(decorator(refusal, NONE_MATCH).decorate(transient_))).isEqualTo(GUARDED);

        Delegate always = new Delegate(attempt -> new IllegalStateException("always"));
        always.throwsAfterReporting = true;
        assertThat(load(decorator(refusal, NONE_MATCH).decorate(always))).isEqualTo(REFUSING);
        assertThat(always.attempts).hasSize(2);
        assertThat(always.reported).containsExactly(false, true);
    }

    @Test
    void withNoThreadToBeHadTheClassIsRefusedOnTheLoadingThread() throws Exception {
        Delegate delegate = new Delegate(attempt -> new IllegalStateException("always"));
        delegate.throwsAfterReporting = true;
        TransformWithStackToSpare.Starter outOfThreads = thread -> {
            throw new OutOfMemoryError("unable to create native thread");
        };

        assertThat(load(new TransformWithStackToSpare.Decorator(refusal, failure, NONE_MATCH, outOfThreads,
                TransformWithStackToSpare.WAIT).decorate(delegate)))
                .isEqualTo(REFUSING);
        assertThat(refusedOn).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void aRefusalThatOverflowsOnTheLoadingThreadLeavesTheClassUndefinableNeverAsItIs() throws Exception {
        Delegate delegate = new Delegate(attempt -> new IllegalStateException("always"));
        delegate.throwsAfterReporting = true;
        TransformWithStackToSpare.Starter outOfThreads = thread -> {
            throw new OutOfMemoryError("unable to create native thread");
        };
        TransformWithStackToSpare.Refusal overflowing = (loader, name, bytes) -> {
            throw new StackOverflowError();
        };

        byte[] defined = load(new TransformWithStackToSpare.Decorator(overflowing, failure, NONE_MATCH, outOfThreads,
                TransformWithStackToSpare.WAIT).decorate(delegate));

        assertThat(defined).isEqualTo(TransformWithStackToSpare.UNDEFINABLE);
        // and no JVM defines it: the class does not load, so none of its methods can run
        assertThatThrownBy(() -> new ClassLoader(null) {
            Class<?> define() {
                return defineClass("Tool", defined, 0, defined.length);
            }
        }.define()).isInstanceOf(ClassFormatError.class);
    }

    @Test
    void aClassThatMayHoldNoToolsIsDefinedAsItIsWhenItsTransformationFails() throws Exception {
        Delegate delegate = new Delegate(attempt -> new IllegalStateException("always"));

        assertThat(load(decorator(NO_REFUSAL, NONE_MATCH).decorate(delegate))).isNull();
        assertThat(delegate.reported).containsExactly(false, true);
    }

    @Test
    void aCleanTransformationIsNeverRefused() throws Exception {
        Delegate delegate = new Delegate(attempt -> null);

        assertThat(load(decorator(refusal, NONE_MATCH).decorate(delegate))).isEqualTo(GUARDED);
        assertThat(refusedOn).isEmpty();
    }

    @Test
    void aClassLoadedWhileTransformingAnotherLeavesTheOuterFailureToBeRetried() throws Exception {
        Delegate inner = new Delegate(attempt -> null);
        Delegate outer = new Delegate(attempt -> attempt == 0 ? new LinkageError("outer") : null);
        ResettableClassFileTransformer wrapped = decorator(NO_REFUSAL, NONE_MATCH).decorate(outer);
        outer.whileTransforming = decorator(NO_REFUSAL, NONE_MATCH).decorate(inner);

        assertThat(load(wrapped)).isEqualTo(GUARDED);
        assertThat(inner.attempts).hasSize(1);
        assertThat(outer.attempts).hasSize(2);
    }

    @Test
    void aClassThatMayMatchLoadedWhileByteBuddyIsBusyOnTheThreadIsTransformedOnAThreadOfItsOwn() throws Exception {
        TransformWithStackToSpare.Decorator decorator = decorator(NO_REFUSAL, (loader, name, bytes) -> true);
        Delegate delegate = new Delegate(attempt -> null);
        delegate.lock = decorator.circularityLock();
        ResettableClassFileTransformer wrapped = decorator.decorate(delegate);
        delegate.whileTransforming = wrapped;

        assertThat(load(wrapped)).isEqualTo(GUARDED);
        // on the loading thread ByteBuddy's guard against circularity would have transformed nothing
        assertThat(delegate.attempts).containsExactly(Thread.currentThread().getName(), "toolguard-transform");
        assertThat(delegate.nestedDefinedAs).isEqualTo(GUARDED);
    }

    @Test
    void aClassNothingCanMatchLoadedWhileByteBuddyIsBusyStaysOnItsThread() throws Exception {
        TransformWithStackToSpare.Decorator decorator = decorator(NO_REFUSAL, NONE_MATCH);
        Delegate delegate = new Delegate(attempt -> null);
        delegate.lock = decorator.circularityLock();
        ResettableClassFileTransformer wrapped = decorator.decorate(delegate);
        delegate.whileTransforming = wrapped;

        assertThat(load(wrapped)).isEqualTo(GUARDED);
        assertThat(delegate.attempts).containsExactly(Thread.currentThread().getName());
        assertThat(delegate.nestedDefinedAs).as("ByteBuddy's answer while busy: no transformation").isNull();
    }

    private TransformWithStackToSpare.Decorator decorator(TransformWithStackToSpare.Refusal refusal,
                                                          PrefilteredTransformer.FirstTest firstTest) {
        return new TransformWithStackToSpare.Decorator(refusal, failure, firstTest);
    }

    /** A decorator whose loading thread waits {@link #BRIEFLY}; the delegate asks its resubmission. */
    private TransformWithStackToSpare.Decorator waitingBriefly(TransformWithStackToSpare.Refusal refusal,
                                                               PrefilteredTransformer.FirstTest firstTest,
                                                               Delegate delegate) {
        TransformWithStackToSpare.Decorator d = new TransformWithStackToSpare.Decorator(refusal, failure, firstTest,
                Thread::start, BRIEFLY);
        delegate.resubmission = d.resubmission();
        return d;
    }

    /** Its attempt {@code n} waits for {@link #release}. */
    private Delegate holdingBack(int n, Delegate delegate) {
        delegate.heldAttempt = n;
        delegate.release = release;
        return delegate;
    }

    private static final String UNFINISHED = "transforming %s did not finish within 200 ms (its class loader may be"
            + " locked by the thread loading it), so it was defined without waiting longer; it is transformed again"
            + " once loaded, when that transformation ends";

    // SPEC §13.1, and the host never hangs: the loading thread waits for the retry at most a bound (a class loader
    // that is not parallel capable may hold the lock the retry needs); the separate-thread timeout turns a wait for
    // good into a failure

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRetryThatDoesNotFinishWithinTheWaitIsGivenUpTheClassSaidOnceAndDefinedRefusing() throws Exception {
        Delegate delegate = holdingBack(1, new Delegate(attempt -> attempt == 0 ? new LinkageError("loaded twice")
                : null));
        byte[] defined;
        try {
            defined = load(waitingBriefly(refusal, NONE_MATCH, delegate).decorate(delegate));

            assertThat(defined).isEqualTo(REFUSING);
            assertThat(said).containsExactly("Tool: " + UNFINISHED.formatted("Tool"));
            assertThat(refusedOn).containsExactly(Thread.currentThread().getName());
        } finally {
            release.countDown();
        }
        // the late retry goes through (GUARDED): its class file is nobody's, the class is handed to the resubmission
        await().untilAsserted(() -> assertThat(delegate.handedBack).containsExactly("Tool"));
        assertThat(defined).isEqualTo(REFUSING);
        assertThat(said).hasSize(1);
        assertThat(refusedOn).hasSize(1);
        assertThat(delegate.reported).containsExactly(false);
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRetryGivenUpThatFailsLateIsNotSaidAgainNorRefusedAgain() throws Exception {
        Delegate delegate = holdingBack(1, new Delegate(attempt -> new IllegalStateException("always")));
        try {
            assertThat(load(waitingBriefly(refusal, NONE_MATCH, delegate).decorate(delegate))).isEqualTo(REFUSING);
        } finally {
            release.countDown();
        }
        await().untilAsserted(() -> assertThat(delegate.handedBack).containsExactly("Tool"));
        // the late failure is no error to report: the loading thread said the class at the bound
        assertThat(delegate.reported).containsExactly(false, false);
        assertThat(said).containsExactly("Tool: " + UNFINISHED.formatted("Tool"));
        assertThat(refusedOn).containsExactly(Thread.currentThread().getName());
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFailureTheRetrySaidBeforeTheWaitEndedIsNotSaidAgainAtTheBound() throws Exception {
        Delegate delegate = new Delegate(attempt -> new IllegalStateException("always"));
        // the retry fails and reports, then its refusal waits (reading a class file through a locked loader, say)
        TransformWithStackToSpare.Refusal waitingOnItsThread = (loader, name, bytes) -> {
            if (Thread.currentThread().getName().equals("toolguard-transform")) {
                awaitRelease(release);
            }
            return refusal.refusing(loader, name, bytes);
        };
        try {
            assertThat(load(waitingBriefly(waitingOnItsThread, NONE_MATCH, delegate).decorate(delegate)))
                    .isEqualTo(REFUSING);
            assertThat(delegate.reported).containsExactly(false, true);
            assertThat(said).isEmpty();
        } finally {
            release.countDown();
        }
        await().untilAsserted(() -> assertThat(delegate.handedBack).containsExactly("Tool"));
        assertThat(said).isEmpty();
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aClassLoadedWhileByteBuddyIsBusyWhoseTransformationDoesNotFinishIsSaidOnceAndDefinedRefusing()
            throws Exception {
        Delegate delegate = holdingBack(1, new Delegate(attempt -> null));
        TransformWithStackToSpare.Decorator decorator = waitingBriefly(refusal, (loader, name, bytes) -> true,
                delegate);
        delegate.lock = decorator.circularityLock();
        ResettableClassFileTransformer wrapped = decorator.decorate(delegate);
        delegate.whileTransforming = wrapped;
        try {
            assertThat(load(wrapped)).isEqualTo(GUARDED);

            assertThat(delegate.nestedDefinedAs).isEqualTo(REFUSING);
            assertThat(said).containsExactly("Nested: " + UNFINISHED.formatted("Nested"));
            assertThat(refusedOn).containsExactly(Thread.currentThread().getName());
        } finally {
            release.countDown();
        }
        await().untilAsserted(() -> assertThat(delegate.handedBack).containsExactly("Nested"));
        assertThat(delegate.nestedDefinedAs).isEqualTo(REFUSING);
        assertThat(said).hasSize(1);
        assertThat(refusedOn).hasSize(1);
        assertThat(delegate.attempts).containsExactly(Thread.currentThread().getName(), "toolguard-transform");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anInterruptDoesNotCutTheWaitShortAndIsKept() throws Exception {
        Delegate delegate = holdingBack(1, new Delegate(attempt -> attempt == 0 ? new LinkageError("loaded twice")
                : null));
        try {
            Thread.currentThread().interrupt();
            assertThat(load(waitingBriefly(refusal, NONE_MATCH, delegate).decorate(delegate))).isEqualTo(REFUSING);
            assertThat(Thread.interrupted()).as("interrupt status kept").isTrue();
            assertThat(said).containsExactly("Tool: " + UNFINISHED.formatted("Tool"));
        } finally {
            Thread.interrupted();
            release.countDown();
        }
    }

    @Test
    void aRetryThatFinishesWithinTheWaitIsUsedAndNothingIsSaid() throws Exception {
        Delegate delegate = new Delegate(attempt -> attempt == 0 ? new LinkageError("loaded twice") : null);
        TransformWithStackToSpare.Decorator decorator = new TransformWithStackToSpare.Decorator(refusal, failure,
                NONE_MATCH, Thread::start, Duration.ofMinutes(1));
        delegate.resubmission = decorator.resubmission();

        assertThat(load(decorator.decorate(delegate))).isEqualTo(GUARDED);
        assertThat(said).isEmpty();
        assertThat(refusedOn).isEmpty();
        assertThat(delegate.handedBack).isEmpty();
    }

    /** Through the installer: the class's real refusing form, the two lines it says, one error counted. */
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aToolClassGivenUpIsRefusedSaidAndCountedByTheInstaller() throws Exception {
        List<String> diagnostics = Collections.synchronizedList(new ArrayList<>());
        ToolInstaller installer = ToolInstallerFirstTestTest.installer(diagnostics::add);
        byte[] tools = ToolInstallerFirstTestTest.bytesOf(ToolInstallerFirstTestTest.Tools.class);
        Delegate delegate = holdingBack(1, new Delegate(attempt -> attempt == 0 ? new LinkageError("loaded twice")
                : null));
        TransformWithStackToSpare.Decorator decorator = new TransformWithStackToSpare.Decorator(installer::refusing,
                installer::transformFailed, installer::mayMatch, Thread::start, BRIEFLY);
        delegate.resubmission = decorator.resubmission();
        try {
            byte[] defined = decorator.decorate(delegate).transform(getClass().getClassLoader(), "com/acme/Tools",
                    null, null, tools);

            assertThat(defined).isEqualTo(RefusingMethods.of(tools, "com.acme.Tools"));
            assertThat(diagnostics).containsExactly(
                    "toolguard: could not instrument com.acme.Tools: " + UNFINISHED.formatted("com.acme.Tools"),
                    "toolguard: every method of com.acme.Tools is refused: it may hold tools, and it could not be"
                            + " instrumented");
            assertThat(installer.errors()).isEqualTo(1);
        } finally {
            release.countDown();
        }
        await().untilAsserted(() -> assertThat(delegate.handedBack).containsExactly("com/acme/Tools"));
        assertThat(diagnostics).hasSize(2);
        assertThat(installer.errors()).isEqualTo(1);
    }

    @Test
    void aTypeMissingFromTheClassPathIsReportedAtOnceNotRetriedAndTheClassRefused() throws Exception {
        Delegate delegate = new Delegate(attempt -> new IllegalStateException("resolving",
                new net.bytebuddy.pool.TypePool.Resolution.NoSuchTypeException("jakarta.servlet.Filter")));

        assertThat(load(decorator(refusal, NONE_MATCH).decorate(delegate))).isEqualTo(REFUSING);
        assertThat(delegate.attempts).hasSize(1);
        assertThat(delegate.reported).containsExactly(true);
    }

    @Test
    void aFailureOutsideTheTransformerIsNotTakenForARetry() {
        assertThat(TransformWithStackToSpare.retries(new LinkageError("elsewhere"))).isFalse();
    }
}
