package dev.toolguard.policy.approval;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Where approvals live: in this process's memory ({@link InMemoryApprovalStore}, the default), or shared by a
 * fleet (SPEC §14), where any replica's admin API decides and any replica's caller redeems. Every change is a
 * compare-and-set of whole values. A shared store that does not answer throws
 * {@link ApprovalStoreUnavailableException} from any method.
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

    /**
     * The pending approvals whose time has passed that this process should time out now (the background sweep).
     * A shared store returns only those this process requested, and reads nothing before one is due, so that a
     * fleet's sweeps cost the store nothing while nothing is due.
     */
    default List<Approval> overdue(Instant now) {
        return pending().stream().filter(a -> !now.isBefore(a.expiresAt())).toList();
    }

    /**
     * Asks to be told when another process changes an approval: {@code changed} gets its id, or null when any
     * may have changed (the store was not listening for a while). A store of one process has nothing to tell.
     */
    default void watch(Consumer<String> changed) {
    }
}
