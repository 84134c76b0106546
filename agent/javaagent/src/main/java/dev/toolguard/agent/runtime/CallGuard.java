package dev.toolguard.agent.runtime;

import dev.toolguard.instrumentation.ToolMethod;

/**
 * What the dispatcher asks for each guarded call: the whole decide-and-audit path behind one interface,
 * so the bytecode side and the policy side meet in exactly one place.
 *
 * <p>Implementations never throw: an internal error is decided by {@code on_error} and audited.
 */
public interface CallGuard {

    /**
     * Decides a call before the body runs: assembles the context, converts the arguments, asks the engine,
     * writes (and flushes) the decision record.
     *
     * @return a {@link Verdict}: either the denial to throw in place of the body, or a handle to pass to
     *         {@link #after} once the body has run
     */
    Verdict before(ToolMethod method, Object self, Object[] args);

    /** Writes the outcome record once the body returned ({@code thrown == null}) or threw. */
    void after(Verdict verdict, Object result, Throwable thrown);

    /** Whether the tool may be offered to the model in the calling thread's context (SPEC §8). */
    boolean discoverable(String toolName);

    /** Whether an internal error that escaped everything else should allow ({@code on_error: allow}). */
    boolean allowOnError();

    /**
     * The result of {@link #before}.
     *
     * @param denial   non-null when the body must not run: the exception to throw (or, for frameworks that
     *                 want a returned error, whose message to return)
     * @param callId   the audit id shared by the decision and outcome records (null when nothing was audited)
     * @param started  System.nanoTime() when the body was allowed to start, for duration_ms
     */
    record Verdict(RuntimeException denial, String callId, long started) {
        public boolean denied() {
            return denial != null;
        }
    }
}
