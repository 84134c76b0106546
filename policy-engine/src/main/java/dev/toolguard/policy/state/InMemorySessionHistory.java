package dev.toolguard.policy.state;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Session history in memory: per session, the last time each tool ran and until when that is kept. Memory is
 * bounded by {@code state.max_sessions} sessions (and {@link #MAX_TOOLS_PER_SESSION} tools per session, the
 * oldest dropped first: tool names are the application's, not the caller's). A session is dropped only once
 * every entry of it has expired; a full store of live sessions is reported ({@link #timesFull}, the listener)
 * and {@link #hasRoom} answers false for new sessions, so the engine denies instead of forgetting (SPEC §5).
 * No lock is taken on the way of a call: the maps are concurrent, and one caller at a time sweeps the expired.
 */
public final class InMemorySessionHistory implements SessionHistory {

    static final int MAX_TOOLS_PER_SESSION = 1_024;
    /** A full store is swept for expired sessions at most this often: a sweep walks every session. */
    private static final long SWEEP_EVERY_MILLIS = 1_000;

    private static final class Session {
        final ConcurrentHashMap<String, Long> lastAllowed = new ConcurrentHashMap<>();
        volatile long keepUntil;
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicLong timesFull = new AtomicLong();
    private final Duration sessionTtl;
    private final int maxSessions;
    private volatile long lastSweep;
    private volatile Runnable onFull = () -> { };

    /** The defaults: {@code session_ttl: 24h}, {@code max_sessions: 1000000}. */
    public InMemorySessionHistory() {
        this(DEFAULT_SESSION_TTL, DEFAULT_MAX_SESSIONS);
    }

    public InMemorySessionHistory(Duration sessionTtl, int maxSessions) {
        if (Objects.requireNonNull(sessionTtl, "sessionTtl").isNegative() || sessionTtl.isZero() || maxSessions < 1) {
            throw new IllegalArgumentException("session_ttl and max_sessions must be positive");
        }
        this.sessionTtl = sessionTtl;
        this.maxSessions = maxSessions;
    }

    /** Called (on the deciding thread) each time a new session finds the store full of live sessions. */
    public void onFull(Runnable listener) {
        this.onFull = Objects.requireNonNull(listener, "listener");
    }

    /** How many times a new session found the store full of sessions that can still deny. */
    public long timesFull() {
        return timesFull.get();
    }

    @Override
    public Duration sessionTtl() {
        return sessionTtl;
    }

    @Override
    public void recordAllowed(String session, String tool, long epochMillis, long keepUntilMillis) {
        Session known = sessions.get(session);
        if (known == null && sessions.size() >= maxSessions) {
            // the engine asked hasRoom before letting the call run; a race may overshoot the bound by the calls in
            // flight, which is better than forgetting a call that ran
            sweep(epochMillis);
        }
        Session s = known != null ? known : sessions.computeIfAbsent(session, k -> new Session());
        if (s.keepUntil < keepUntilMillis) {
            s.keepUntil = Math.max(s.keepUntil, keepUntilMillis);
        }
        // Threads of one session mostly record the same millisecond again: read first, so that they do not
        // all write (and bounce) the same entry on every call.
        Long last = s.lastAllowed.get(tool);
        if (last != null && last >= epochMillis) {
            return;
        }
        s.lastAllowed.merge(tool, epochMillis, Math::max);
        if (s.lastAllowed.size() > MAX_TOOLS_PER_SESSION) {
            s.lastAllowed.entrySet().stream().min(Map.Entry.comparingByValue())
                    .ifPresent(oldest -> s.lastAllowed.remove(oldest.getKey(), oldest.getValue()));
        }
    }

    @Override
    public boolean anyAllowedSince(String session, Predicate<String> tools, long sinceEpochMillis) {
        Session s = sessions.get(session);
        if (s == null) {
            return false;
        }
        for (Map.Entry<String, Long> e : s.lastAllowed.entrySet()) {
            if (e.getValue() >= sinceEpochMillis && tools.test(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean hasRoom(String session, long nowMillis) {
        if (sessions.size() < maxSessions || sessions.containsKey(session)) {
            return true;
        }
        sweep(nowMillis);
        if (sessions.size() < maxSessions) {
            return true;
        }
        timesFull.incrementAndGet();
        onFull.run();
        return false;
    }

    @Override
    public boolean full(String session) {
        return sessions.size() >= maxSessions && !sessions.containsKey(session);
    }

    /** Drops the sessions whose every entry has expired; one caller at a time, at most once a second. */
    private void sweep(long nowMillis) {
        if (nowMillis - lastSweep < SWEEP_EVERY_MILLIS || !sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            lastSweep = nowMillis;
            sessions.entrySet().removeIf(e -> e.getValue().keepUntil < nowMillis);
        } finally {
            sweeping.set(false);
        }
    }
}
