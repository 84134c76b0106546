package dev.toolguard.policy.state;

import java.time.Duration;

/**
 * The state deciding reads and charges: clocks, rate limits, budgets, session history. It outlives
 * bundles: when a new bundle is loaded the new engine gets the same state, so counters and history
 * carry over a reload.
 */
public record EngineState(TimeSource time, RateLimiter rateLimiter, BudgetLedger budgets, SessionHistory history) {

    /** Fresh in-memory state on the system clocks. */
    public static EngineState inMemory() {
        return inMemory(TimeSource.system());
    }

    /** Fresh in-memory state on the given clocks (tests pass a clock they move by hand). */
    public static EngineState inMemory(TimeSource time) {
        return inMemory(time, new InMemorySessionHistory());
    }

    /** Fresh in-memory state with a history bounded by {@code state.session_ttl} and {@code state.max_sessions}. */
    public static EngineState inMemory(TimeSource time, Duration sessionTtl, int maxSessions) {
        return inMemory(time, new InMemorySessionHistory(sessionTtl, maxSessions));
    }

    private static EngineState inMemory(TimeSource time, SessionHistory history) {
        return new EngineState(time, new InMemoryRateLimiter(time), new InMemoryBudgetLedger(time), history);
    }
}
