package dev.toolguard.agent.reload;

import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.PolicyBundle;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The policy deciding calls right now. A call reads {@link #current()} once and decides with that snapshot
 * alone, so every call is decided by exactly one bundle version however often the bundle is swapped.
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
     */
    public record Snapshot(PolicyEngine engine, String noPolicyReason, Instant loadedAt,
                           List<LoadError> lastErrors, Instant lastErrorAt) {
        public Snapshot {
            lastErrors = List.copyOf(lastErrors);
        }

        public boolean loaded() {
            return engine != null;
        }

        public PolicyBundle bundle() {
            return engine == null ? null : engine.bundle();
        }
    }

    private final AtomicReference<Snapshot> current;
    /** Told after each swap, on the swapping thread (waiting approvals are re-decided, SPEC §10). */
    private volatile Runnable onSwap = () -> { };

    public ActivePolicy(String noPolicyReason) {
        current = new AtomicReference<>(new Snapshot(null, noPolicyReason, null, List.of(), null));
    }

    public Snapshot current() {
        return current.get();
    }

    /** Swaps in a newly loaded engine; calls already deciding keep the engine they started with. */
    public void swap(PolicyEngine engine) {
        current.set(new Snapshot(engine, null, Instant.now(), List.of(), null));
        onSwap.run();
    }

    /** What to do after each swap; runs on the swapping thread and must not throw. */
    public void onSwap(Runnable action) {
        this.onSwap = java.util.Objects.requireNonNull(action, "action");
    }

    /** Says why nothing decides, while nothing is loaded (the first bundle failed, or its loader did). */
    public void noPolicyBecause(String reason) {
        current.updateAndGet(s -> s.loaded() ? s : new Snapshot(null, reason, null, s.lastErrors(), s.lastErrorAt()));
    }

    /**
     * The sources load again into the bundle already deciding (a broken edit was undone): the last error is
     * cleared, since nothing is wrong any more.
     *
     * @return true when there was an error to clear
     */
    public boolean recovered() {
        Snapshot before = current.getAndUpdate(s -> s.lastErrors().isEmpty() ? s
                : new Snapshot(s.engine(), s.noPolicyReason(), s.loadedAt(), List.of(), null));
        return !before.lastErrors().isEmpty();
    }

    /** Records a bundle that failed to load; whatever was deciding keeps deciding. */
    public void rejected(List<LoadError> errors) {
        current.updateAndGet(s -> new Snapshot(s.engine(), s.noPolicyReason(), s.loadedAt(), errors, Instant.now()));
    }
}
