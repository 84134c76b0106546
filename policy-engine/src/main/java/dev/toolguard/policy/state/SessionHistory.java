package dev.toolguard.policy.state;

import java.util.function.Predicate;

/**
 * Which tools were allowed in which session, and when, for {@code sequences}. Thread-safe.
 */
public interface SessionHistory {

    /** Remembers that {@code tool} was allowed in {@code session} at {@code epochMillis}. */
    void recordAllowed(String session, String tool, long epochMillis);

    /** True when some tool accepted by {@code tools} was allowed in {@code session} at or after {@code sinceEpochMillis}. */
    boolean anyAllowedSince(String session, Predicate<String> tools, long sinceEpochMillis);
}
