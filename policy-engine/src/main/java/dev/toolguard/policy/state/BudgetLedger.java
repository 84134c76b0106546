package dev.toolguard.policy.state;

import java.time.Duration;

/**
 * Sums of cost per account in windows of {@code per} aligned to the Unix epoch (UTC): with {@code per}
 * of one day, windows start at 00:00 UTC. Thread-safe and exact under races.
 */
public interface BudgetLedger {

    /**
     * Adds {@code cost} to the account's current window if the sum stays within {@code limit}.
     *
     * @return true when charged; false (and nothing charged) when it would pass the limit
     */
    boolean tryCharge(String account, double cost, double limit, Duration per);

    /**
     * Takes back {@code cost} charged by {@link #tryCharge} at {@code chargedAtMillis} for a call that did not go
     * ahead after all; nothing when that window has ended since (a new window never pays for an old one).
     */
    void refund(String account, double cost, Duration per, long chargedAtMillis);
}
