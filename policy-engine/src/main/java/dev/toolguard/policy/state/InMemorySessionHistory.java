package dev.toolguard.policy.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Session history in memory: per session, the last time each tool was allowed. Memory is bounded:
 * at most {@link #MAX_TOOLS_PER_SESSION} tools per session and {@link #MAX_SESSIONS} sessions, the least
 * recently active dropped first. A dropped session forgets its history, so keep sessions short-lived
 * or use a shared store for long ones. No lock is taken: the maps are concurrent, and when the store is full
 * one caller at a time drops the least active tenth while the others go on.
 */
public final class InMemorySessionHistory implements SessionHistory {

    static final int MAX_SESSIONS = 100_000;
    static final int MAX_TOOLS_PER_SESSION = 1_024;

    private static final class Session {
        final ConcurrentHashMap<String, Long> lastAllowed = new ConcurrentHashMap<>();
        volatile long lastActive;
    }

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicBoolean dropping = new AtomicBoolean();

    @Override
    public void recordAllowed(String session, String tool, long epochMillis) {
        Session known = sessions.get(session);
        if (known == null && sessions.size() >= MAX_SESSIONS) {
            dropLeastActive();
        }
        Session s = known != null ? known : sessions.computeIfAbsent(session, k -> new Session());
        // Threads of one session mostly record the same millisecond again: read first, so that they do not
        // all write (and bounce) the same entry on every call.
        if (s.lastActive < epochMillis) {
            s.lastActive = Math.max(s.lastActive, epochMillis);
        }
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

    private void dropLeastActive() {
        if (!dropping.compareAndSet(false, true)) {
            return; // another caller is making room; sorting the store twice at once helps nobody
        }
        try {
            int drop = Math.max(1, sessions.size() / 10);
            // sort a copy of the times: sorting on values other threads keep moving breaks the sort's contract
            sessions.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue().lastActive))
                    .sorted(Map.Entry.comparingByValue())
                    .limit(drop)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(sessions::remove);
        } finally {
            dropping.set(false);
        }
    }
}
