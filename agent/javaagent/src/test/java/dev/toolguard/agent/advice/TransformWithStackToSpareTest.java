package dev.toolguard.agent.advice;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;
import org.junit.jupiter.api.Test;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

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
            int attempt = attempts.size();
            attempts.add(Thread.currentThread().getName());
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

        assertThat(load(new TransformWithStackToSpare.Decorator(refusal, NONE_MATCH, outOfThreads).decorate(delegate)))
                .isEqualTo(REFUSING);
        assertThat(refusedOn).containsExactly(Thread.currentThread().getName());
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

    private static TransformWithStackToSpare.Decorator decorator(TransformWithStackToSpare.Refusal refusal,
                                                                 PrefilteredTransformer.FirstTest firstTest) {
        return new TransformWithStackToSpare.Decorator(refusal, firstTest);
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
