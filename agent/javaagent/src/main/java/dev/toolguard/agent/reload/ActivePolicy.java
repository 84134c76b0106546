package dev.toolguard.agent.reload;

import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.PolicyBundle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The policy deciding calls right now. A call reads {@link #current()} once and decides with that snapshot
 * alone, so every call is decided by exactly one bundle version however often the bundle is swapped.
 *
 * <p>At JVM start the agent returns to the application before its first policy load has ended (that load is a few
 * hundred milliseconds of class loading). Until it ends, {@link #current()} waits for it, bounded by
 * {@code policy.first_load_wait}: what decides a call is the first load's outcome, never the empty state before
 * it. What the first load sets is staged until {@link #firstLoadEnded()}, so that a call sees its bundle only once
 * the load has said and recorded it. Once it has ended, reading costs one volatile read, as before.
 */
public final class ActivePolicy {

    /**
     * One immutable state: either an engine for a loaded bundle, or no policy with the reason why.
     *
     * @param engine         the engine of the loaded bundle, or null when no policy is loaded
     * @param noPolicyReason why nothing is loaded (null when an engine is there)
     * @param loadedAt       when the engine was swapped in (null without one)
     * @param lastErrors     the errors of the last bundle that failed to load (empty when the last try loaded)
     * @param lastErrorAt    when that failure happened, or null
     * @param firstLoadLate  true when the first load had not ended within {@code policy.first_load_wait}: nothing
     *                       decided the call, which is denied saying so
     */
    public record Snapshot(PolicyEngine engine, String noPolicyReason, Instant loadedAt,
                           List<LoadError> lastErrors, Instant lastErrorAt, boolean firstLoadLate) {
        public Snapshot {
            lastErrors = List.copyOf(lastErrors);
        }

        Snapshot(PolicyEngine engine, String noPolicyReason, Instant loadedAt, List<LoadError> lastErrors,
                 Instant lastErrorAt) {
            this(engine, noPolicyReason, loadedAt, lastErrors, lastErrorAt, false);
        }

        public boolean loaded() {
            return engine != null;
        }

        public PolicyBundle bundle() {
            return engine == null ? null : engine.bundle();
        }
    }

    /**
     * What calls read. While the first load has not ended it holds {@link #starting}, which no change replaces:
     * the first load's changes go to {@link #staged}. Written under this object's lock, read without it.
     */
    private volatile Snapshot current;
    /** The state calls wait for; null once the first load has ended (or when there is none to wait for). */
    private Snapshot staged;
    /** The placeholder {@link #current} holds while the first load runs; null when there is none. */
    private final Snapshot starting;
    private final CountDownLatch firstLoad;
    private final Duration firstLoadWait;
    /** What a call reads once it waited {@link #firstLoadWait} in vain. */
    private final Snapshot late;
    /** The thread running the first load, which never waits for itself (its own fetches pass the egress sensors). */
    private volatile Thread loader;
    /** Told after each swap, on the swapping thread (waiting approvals are re-decided, SPEC §10). */
    private volatile Runnable onSwap = () -> { };

    /** A policy with nothing to wait for: what is set decides at once (an attach, a tool, a test). */
    public ActivePolicy(String noPolicyReason) {
        current = new Snapshot(null, noPolicyReason, null, List.of(), null);
        staged = null;
        starting = null;
        firstLoad = new CountDownLatch(0);
        firstLoadWait = Duration.ZERO;
        late = null;
    }

    private ActivePolicy(String noPolicyReason, Duration firstLoadWait, String lateReason) {
        starting = new Snapshot(null, noPolicyReason, null, List.of(), null);
        current = starting;
        staged = starting;
        firstLoad = new CountDownLatch(1);
        this.firstLoadWait = firstLoadWait;
        late = new Snapshot(null, lateReason, null, List.of(), null, true);
    }

    /**
     * A policy whose first load is still to come: {@link #current()} waits for {@link #firstLoadEnded()}, at most
     * {@code wait}, and then gives no policy with {@code lateReason}, the reason such a call is denied with.
     */
    public static ActivePolicy firstLoadPending(String noPolicyReason, Duration wait, String lateReason) {
        return new ActivePolicy(noPolicyReason, wait, lateReason);
    }

    /**
     * What decides a call now. Before the first load has ended this waits for it (never on the loading thread
     * itself); past {@code policy.first_load_wait} it gives a snapshot with no policy that says so.
     */
    public Snapshot current() {
        Snapshot s = current;
        return s != starting ? s : awaitFirstLoad();
    }

    /**
     * The state as it stands, without waiting for the first load: for what is shown (the admin API, the console,
     * the start line) and for the loading itself, never for deciding a call.
     */
    public synchronized Snapshot latest() {
        return staged != null ? staged : current;
    }

    private Snapshot awaitFirstLoad() {
        if (Thread.currentThread() == loader) {
            return latest();
        }
        try {
            if (firstLoad.await(firstLoadWait.toNanos(), TimeUnit.NANOSECONDS)) {
                return current;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // said again to the caller's code; this call is denied meanwhile
        }
        return late;
    }

    /** Names the thread running the first load: it reads the state as it stands, never waits for itself. */
    public void loadingOn(Thread thread) {
        loader = thread;
    }

    /** The first load has ended (loaded, refused or failed): what it set decides from now on, and waiting calls go. */
    public void firstLoadEnded() {
        synchronized (this) {
            if (staged != null) {
                // a copy of the placeholder when the load changed nothing, so that reading stays one comparison
                current = staged != starting ? staged : new Snapshot(null, starting.noPolicyReason(), null, List.of(), null);
                staged = null;
            }
        }
        firstLoad.countDown();
    }

    /** Swaps in a newly loaded engine; calls already deciding keep the engine they started with. */
    public void swap(PolicyEngine engine) {
        update(s -> new Snapshot(engine, null, Instant.now(), List.of(), null));
        onSwap.run();
    }

    /** What to do after each swap; runs on the swapping thread and must not throw. */
    public void onSwap(Runnable action) {
        this.onSwap = java.util.Objects.requireNonNull(action, "action");
    }

    /** Says why nothing decides, while nothing is loaded (the first bundle failed, or its loader did). */
    public void noPolicyBecause(String reason) {
        update(s -> s.loaded() ? s : new Snapshot(null, reason, null, s.lastErrors(), s.lastErrorAt()));
    }

    /**
     * The sources load again into the bundle already deciding (a broken edit was undone): the last error is
     * cleared, since nothing is wrong any more.
     *
     * @return true when there was an error to clear
     */
    public boolean recovered() {
        Snapshot before = update(s -> s.lastErrors().isEmpty() ? s
                : new Snapshot(s.engine(), s.noPolicyReason(), s.loadedAt(), List.of(), null));
        return !before.lastErrors().isEmpty();
    }

    /** Records a bundle that failed to load; whatever was deciding keeps deciding. */
    public void rejected(List<LoadError> errors) {
        update(s -> new Snapshot(s.engine(), s.noPolicyReason(), s.loadedAt(), errors, Instant.now()));
    }

    /** Changes the state (the staged one during the first load); returns the state before. Changes are rare. */
    private synchronized Snapshot update(UnaryOperator<Snapshot> change) {
        if (staged != null) {
            Snapshot before = staged;
            staged = change.apply(before);
            return before;
        }
        Snapshot before = current;
        current = change.apply(before);
        return before;
    }
}
