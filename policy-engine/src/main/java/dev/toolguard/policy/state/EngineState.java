package dev.toolguard.policy.state;

import java.time.Duration;

/**
 * The state deciding reads and charges: clocks, rate limits, budgets, session history. It outlives
 * bundles: when a new bundle is loaded the new engine gets the same state, so counters and history
 * carry over a reload.
 *
 * @param shared the store shared by a fleet (SPEC §14), or null (the default): everything in this process's memory.
 *               With a shared store, the in-memory stores are what {@code on_unavailable: local} decides on.
 */
public record EngineState(TimeSource time, RateLimiter rateLimiter, BudgetLedger budgets, SessionHistory history,
                          SharedState shared) {

    /** State in this process's memory only. */
    public EngineState(TimeSource time, RateLimiter rateLimiter, BudgetLedger budgets, SessionHistory history) {
        this(time, rateLimiter, budgets, history, null);
    }

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

    /** This state with {@code shared} as the fleet's store; these in-memory stores decide for {@code on_unavailable: local}. */
    public EngineState withShared(SharedState shared) {
        return new EngineState(time, rateLimiter, budgets, history, java.util.Objects.requireNonNull(shared, "shared"));
    }

    /** Fresh state kept in {@code shared}, with in-memory stores beside it for {@code on_unavailable: local}. */
    public static EngineState sharedIn(SharedState shared) {
        TimeSource time = TimeSource.system();
        return new EngineState(time, new InMemoryRateLimiter(time), new InMemoryBudgetLedger(time),
                new InMemorySessionHistory(), java.util.Objects.requireNonNull(shared, "shared"));
    }
}
