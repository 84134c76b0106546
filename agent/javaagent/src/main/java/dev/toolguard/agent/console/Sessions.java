package dev.toolguard.agent.console;

import dev.toolguard.agent.admin.AdminUser;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's signed-in people (SPEC §16): a session is a random id held in an {@code HttpOnly} cookie, with the
 * user it stands for and the CSRF token every state-changing request of that session must carry. Sessions live
 * in memory only: a restart signs everyone out. A session ends when its user logs out, after {@link #IDLE} without
 * a request, or {@link #LONGEST} after sign-in, whichever comes first; at most {@link #MAX} live at once (the
 * oldest make room), so that signing in in a loop cannot fill the heap.
 */
final class Sessions {

    static final Duration IDLE = Duration.ofMinutes(30);
    static final Duration LONGEST = Duration.ofHours(12);
    static final int MAX = 1000;

    /** One signed-in person. {@code csrf} is sent back in pages and must come back with every POST. */
    record Session(String id, AdminUser user, String csrf, Instant started, Instant lastSeen) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> live = new ConcurrentHashMap<>();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session for {@code user}, with fresh random id and CSRF token. */
    Session open(AdminUser user) {
        Instant now = clock.instant();
        live.values().removeIf(s -> expired(s, now));
        while (live.size() >= MAX) {
            live.values().stream().min(Comparator.comparing(Session::lastSeen))
                    .ifPresent(oldest -> live.remove(oldest.id()));
        }
        Session s = new Session(randomToken(), user, randomToken(), now, now);
        live.put(s.id(), s);
        return s;
    }

    /** The live session with this id, its idle clock restarted; empty for an unknown, ended or expired one. */
    Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Session s = live.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            live.remove(id, s);
            return Optional.empty();
        }
        Session touched = new Session(s.id(), s.user(), s.csrf(), s.started(), now);
        live.replace(id, s, touched);
        return Optional.of(touched);
    }

    /** Ends the session: its cookie is worthless from now on. */
    void close(String id) {
        if (id != null) {
            live.remove(id);
        }
    }

    private static boolean expired(Session s, Instant now) {
        return now.isAfter(s.lastSeen().plus(IDLE)) || now.isAfter(s.started().plus(LONGEST));
    }

    /** 256 random bits, URL-safe. */
    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
