package dev.toolguard.policy.decide;

import java.util.ArrayList;
import java.util.List;

/**
 * The trace of one decision under construction. On the hot path only errors are kept (and the list is
 * not even allocated when there are none); for an explanation every step is kept.
 */
final class Trace {

    /**
     * Each thread's trace for {@link PolicyEngine#decide}, used again call after call: the engine's steps hand it on
     * through calls the JIT does not inline, so a new one per call would be allocated.
     */
    private static final ThreadLocal<Trace> OWN = ThreadLocal.withInitial(() -> new Trace(false, 0L));

    private final boolean full;
    private long started;
    private List<TraceStep> steps;
    private boolean recorded;
    private boolean inUse;

    /** @param started System.nanoTime() when deciding began, for the decision's latency */
    Trace(boolean full, long started) {
        this.full = full;
        this.started = started;
    }

    /**
     * A trace that keeps only errors, started now: this thread's own, or a new one while that is in use (a decision
     * that starts inside another on this thread, through a state store or a map's {@code get}). Give it back with
     * {@link #done} once the decision is made: the decision holds a copy of the steps, never the trace.
     */
    static Trace errorsOnly(long started) {
        Trace own = OWN.get();
        Trace t = own.inUse ? new Trace(false, started) : own;
        t.inUse = true;
        t.started = started;
        t.steps = null;
        t.recorded = false;
        return t;
    }

    void done() {
        steps = null;
        inUse = false;
    }

    long started() {
        return started;
    }

    /** True when every step is kept; callers skip building texts nobody will read when false. */
    boolean full() {
        return full;
    }

    /** Records a step that is only worth keeping when explaining. */
    void step(String step, String rule, String outcome, String detail) {
        if (full) {
            add(new TraceStep(step, rule, outcome, detail));
        }
    }

    /** Records an expression or other error; always kept (the audit record carries it). */
    void error(String step, String rule, String detail) {
        add(new TraceStep(step, rule, "error", detail));
    }

    /** True the first time only: a call enters the session history once, whichever way it was let run. */
    boolean markRecorded() {
        if (recorded) {
            return false;
        }
        recorded = true;
        return true;
    }

    /**
     * Notes how the shared state store stood for this call ({@code unavailable}, {@code local}); always kept, since
     * the audit record says it (SPEC §14).
     */
    void state(String how) {
        add(new TraceStep(STATE, STATE, STATE, how));
    }

    /** The step, rule and outcome of a {@link #state} note. */
    static final String STATE = "state";

    List<TraceStep> steps() {
        return steps == null ? List.of() : List.copyOf(steps);
    }

    private void add(TraceStep s) {
        if (steps == null) {
            steps = new ArrayList<>(4);
        }
        steps.add(s);
    }
}
