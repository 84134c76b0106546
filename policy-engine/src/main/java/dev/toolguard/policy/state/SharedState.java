package dev.toolguard.policy.state;

/**
 * State kept outside this process and shared by every replica of a service (SPEC §14): rate buckets, budget
 * windows and session history. One call's whole check-and-charge is one {@link #check}: a single atomic operation
 * on the store, so that limits hold exactly across processes.
 *
 * <p>The in-memory stores of {@link EngineState} remain beside it: with {@code on_unavailable: local} they decide
 * while the store does not answer. Implementations never block a call longer than their timeout.
 */
public interface SharedState {

    /** What a call that needs the store gets while the store does not answer. */
    enum OnUnavailable {
        /** Denied, rule {@code state_unavailable}. */
        DENY,
        /** Allowed without its limits and sequences; the record says {@code "state":"unavailable"}. */
        ALLOW,
        /** Decided on this process's memory (limits then hold per process); the record says {@code "state":"local"}. */
        LOCAL
    }

    OnUnavailable onUnavailable();

    /** False while the store is known not to answer: calls then go by {@link #onUnavailable} without waiting on it. */
    boolean answering();

    /**
     * Checks the call's sequences and, when asked, takes its rate-limit token and budget amount: all or nothing,
     * atomically, in one round trip.
     *
     * @throws StateUnavailableException when the store did not answer within its timeout (it is then no longer
     *                                   {@link #answering})
     */
    SharedCheck.Result check(SharedCheck check) throws StateUnavailableException;

    /** Gives back what {@link #check} charged for a call that did not go ahead. Never throws. */
    void release(SharedCheck.Charged charged);

    /**
     * Remembers that {@code tool} was allowed in {@code session} at {@code epochMillis}, kept {@code keepMillis}.
     * Never throws.
     *
     * @return false when the store did not answer (the caller keeps the entry in memory for {@code local})
     */
    boolean recordAllowed(String session, String tool, long epochMillis, long keepMillis);
}
