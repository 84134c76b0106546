package dev.toolguard.policy.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where approvals live. In memory for one process now; a shared store lets any replica's admin API decide
 * and any replica's caller redeem. Every change is a compare-and-set of whole values.
 */
public interface ApprovalStore {

    /** Adds a new approval (wait mode: one per waiting call). */
    void add(Approval approval);

    /**
     * Ticket mode: atomically returns the approval already held for {@code candidate.ticketKey()} unless
     * {@code replaceable} says it is spent, in which case {@code candidate} is stored and returned. So two
     * identical calls racing never open two requests.
     */
    Approval addTicket(Approval candidate, Predicate<Approval> replaceable);

    Optional<Approval> get(String id);

    /** The approval currently held for a ticket key. */
    Optional<Approval> forTicket(String ticketKey);

    /** Swaps {@code expected} for {@code updated}; false when the stored value is no longer {@code expected}. */
    boolean replace(Approval expected, Approval updated);

    /** Every approval still pending, oldest first. */
    List<Approval> pending();

    /** How many are pending. */
    int pendingCount();

    /** Forgets approvals that left pending before {@code cutoff}. */
    void forgetDecidedBefore(Instant cutoff);
}
