package dev.toolguard.policy.state;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Which tools ran in which session, and when, for {@code sequences}. Thread-safe.
 *
 * <p>An entry is kept until its {@code keepUntil} has passed (the longest {@code within} it can still arm, or
 * {@code state.session_ttl}); the store never forgets an entry before then to make room (SPEC §5 step 6): when
 * it is full of entries that can still deny, {@link #hasRoom} says so and the engine denies what it could not
 * remember.
 */
public interface SessionHistory {

    /** How far back {@code within: session} looks, and how long a session's entries are kept at least. */
    Duration DEFAULT_SESSION_TTL = Duration.ofHours(24);
    /** How many sessions are kept at most. */
    int DEFAULT_MAX_SESSIONS = 1_000_000;

    /** Remembers that {@code tool} ran in {@code session} at {@code epochMillis}, until {@code keepUntilMillis}. */
    void recordAllowed(String session, String tool, long epochMillis, long keepUntilMillis);

    /** True when some tool accepted by {@code tools} ran in {@code session} at or after {@code sinceEpochMillis}. */
    boolean anyAllowedSince(String session, Predicate<String> tools, long sinceEpochMillis);

    /**
     * True when a call of {@code session} at {@code nowMillis} can be remembered: the session is known, or there is
     * room for one more (after dropping sessions whose every entry has expired). Never drops a live entry.
     */
    default boolean hasRoom(String session, long nowMillis) {
        return true;
    }

    /**
     * True when remembering a call of {@code session} would need room the store does not have (a new session, and
     * the store full). Cheap: no sweep. A call that arms no sequence of the bundle deciding is then not remembered,
     * since it can deny nothing.
     */
    default boolean full(String session) {
        return false;
    }

    /** {@code state.session_ttl}: what {@code within: session} means. */
    default Duration sessionTtl() {
        return DEFAULT_SESSION_TTL;
    }
}
