package dev.toolguard.policy.state.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.policy.approval.Approval;
import dev.toolguard.policy.approval.ApprovalStore;
import dev.toolguard.policy.approval.ApprovalStoreUnavailableException;
import dev.toolguard.policy.approval.InMemoryApprovalStore;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.state.SharedState;
import dev.toolguard.policy.state.StateUnavailableException;
import dev.toolguard.policy.values.JsonWriter;
import dev.toolguard.policy.values.Redaction;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The approvals of a fleet in Redis (SPEC §14): a request made on one replica is listed and decided on any, the
 * waiting call is woken through Redis pub/sub, and a ticket is redeemed once wherever the identical call lands.
 * Every change is one compare-and-set script ({@link ApprovalScripts}).
 *
 * <p>What is stored is redacted as the audit log is (SPEC §13.10): arguments and context under redacted keys are
 * hidden, and a ticket is found by the SHA-256 of its key (tool, canonical arguments, user), never by the key.
 *
 * <p>When Redis does not answer, approvals that live there can be neither read nor changed: the calls that need
 * them are denied ({@link ApprovalStoreUnavailableException}). With {@code on_unavailable: local}, new requests
 * are kept in this process's memory meanwhile (listed and decided on this replica only); nothing is ever allowed
 * because an approval could not be read.
 */
public final class RedisApprovalStore implements ApprovalStore, AutoCloseable {

    /** Records are kept this long after their last possible use, so that a late approver learns "already decided". */
    private static final Duration KEEP_AFTER = Duration.ofHours(1);
    /** How often a lost subscription is tried again (as the store's own probe). */
    private static final Duration RESUBSCRIBE_EVERY = RedisSharedState.PROBE_EVERY;
    /** Identical ticket requests racing on several replicas: how often one tries again before giving up. */
    private static final int TICKET_ATTEMPTS = 16;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisSharedState redis;
    private final Redaction redaction;
    private final Clock clock;
    private final String hashPrefix;
    private final String pendingKey;
    private final String ticketPrefix;
    private final String channel;
    /** Requests made while Redis did not answer, with {@code on_unavailable: local}. */
    private final InMemoryApprovalStore local = new InMemoryApprovalStore();
    /** The requests this process stored in Redis, with their expiry: the ones its sweep times out. */
    private final ConcurrentHashMap<String, Instant> requestedHere = new ConcurrentHashMap<>();
    private volatile Consumer<String> changed;
    private volatile boolean closed;
    private volatile JedisPubSub subscription;
    private Thread listener;

    RedisApprovalStore(RedisSharedState redis, String prefix, Redaction redaction, Clock clock) {
        this.redis = redis;
        this.redaction = redaction;
        this.clock = clock;
        this.hashPrefix = prefix + "a:";
        this.pendingKey = prefix + "ap";
        this.ticketPrefix = prefix + "at:";
        this.channel = prefix + "approvals";
    }

    @Override
    public void add(Approval approval) {
        if (localNow()) {
            local.add(approval);
            return;
        }
        try {
            store(approval, null);
        } catch (StateUnavailableException e) {
            if (!localMode()) {
                throw unavailable(e);
            }
            local.add(approval);
        }
    }

    @Override
    public Approval addTicket(Approval candidate, Predicate<Approval> replaceable) {
        if (localNow()) {
            return local.addTicket(candidate, replaceable);
        }
        try {
            for (int attempt = 0; attempt < TICKET_ATTEMPTS; attempt++) {
                Optional<Approval> held = sharedTicket(candidate.ticketKey());
                if (held.isPresent() && !replaceable.test(held.get())) {
                    return held.get();
                }
                if (store(candidate, held.map(Approval::id).orElse(""))) {
                    return candidate;
                }
                // an identical call on another replica opened (or renewed) a request meanwhile: look again
            }
            throw new ApprovalStoreUnavailableException("the ticket's approval kept changing while being opened", null);
        } catch (StateUnavailableException e) {
            if (!localMode()) {
                throw unavailable(e);
            }
            return local.addTicket(candidate, replaceable);
        }
    }

    @Override
    public Optional<Approval> get(String id) {
        Optional<Approval> here = local.get(id);
        if (here.isPresent()) {
            return here;
        }
        try {
            String json = redis.command(r -> r.hget(hashPrefix + id, "json"));
            return Optional.ofNullable(json).map(this::decode);
        } catch (StateUnavailableException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Optional<Approval> forTicket(String ticketKey) {
        Optional<Approval> here = local.forTicket(ticketKey);
        if (here.isPresent()) {
            return here;
        }
        try {
            return sharedTicket(ticketKey);
        } catch (StateUnavailableException e) {
            if (localMode()) {
                return Optional.empty(); // a new request is opened in memory: it needs an approval of its own
            }
            throw unavailable(e);
        }
    }

    @Override
    public boolean replace(Approval expected, Approval updated) {
        if (local.get(expected.id()).isPresent()) {
            return local.replace(expected, updated);
        }
        String ticket = updated.ticketKey() == null ? pendingKey : ticketPrefix + ticketDigest(updated.ticketKey());
        try {
            Object swapped = redis.run(RedisSharedState.Script.APPROVAL_REPLACE,
                    List.of(hashPrefix + updated.id(), pendingKey, ticket),
                    List.of(stamp(expected), encode(updated), stamp(updated), updated.pending() ? "1" : "0",
                            updated.id(), Long.toString(keepMillis(updated)),
                            Long.toString(updated.requestedAt().toEpochMilli()), channel,
                            updated.ticketKey() == null ? "0" : "1"));
            if (!updated.pending()) {
                requestedHere.remove(updated.id());
            }
            return ((Number) swapped).intValue() == 1;
        } catch (StateUnavailableException e) {
            throw unavailable(e);
        }
    }

    @Override
    public List<Approval> pending() {
        List<Approval> all = new ArrayList<>(local.pending());
        try {
            for (Object json : (List<?>) redis.run(RedisSharedState.Script.APPROVAL_PENDING,
                    List.of(pendingKey, hashPrefix), List.of())) {
                Approval a = decode(String.valueOf(json));
                if (a.pending()) {
                    all.add(a);
                }
            }
        } catch (StateUnavailableException e) {
            if (!localMode()) {
                throw unavailable(e);
            }
        }
        all.sort(Comparator.comparing(Approval::requestedAt).thenComparing(Approval::id));
        return all;
    }

    @Override
    public int pendingCount() {
        int here = local.pendingCount();
        try {
            long shared = redis.command(r -> r.zcard(pendingKey));
            return (int) Math.min(Integer.MAX_VALUE, here + shared);
        } catch (StateUnavailableException e) {
            if (!localMode()) {
                throw unavailable(e);
            }
            return here;
        }
    }

    @Override
    public void forgetDecidedBefore(Instant cutoff) {
        local.forgetDecidedBefore(cutoff); // Redis forgets by itself: every record has its time to live
    }

    @Override
    public List<Approval> overdue(Instant now) {
        List<Approval> due = new ArrayList<>(local.overdue(now));
        for (Map.Entry<String, Instant> e : requestedHere.entrySet()) {
            if (now.isBefore(e.getValue())) {
                continue; // nothing is read before a request of this process is due
            }
            try {
                Optional<Approval> a = get(e.getKey());
                if (a.isPresent() && a.get().pending()) {
                    due.add(a.get());
                } else {
                    requestedHere.remove(e.getKey());
                }
            } catch (ApprovalStoreUnavailableException unavailable) {
                break; // the next sweep tries again
            }
        }
        return due;
    }

    /** Listens on the approvals channel from now on, resubscribing whenever the connection is lost. */
    @Override
    public synchronized void watch(Consumer<String> changed) {
        this.changed = changed;
        if (listener == null) {
            listener = new Thread(this::listen, "toolguard-approval-changes");
            listener.setDaemon(true);
            listener.start();
        }
    }

    @Override
    public void close() {
        closed = true;
        JedisPubSub s = subscription;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                // not subscribed (any more): the thread ends at its next look at closed
            }
        }
        Thread t = listener;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Redis answers again: every waiting call reads its approval now (a message may have come while it could not). */
    void answersAgain() {
        tell(null);
    }

    private void listen() {
        while (!closed) {
            JedisPubSub s = new JedisPubSub() {
                @Override
                public void onSubscribe(String ch, int count) {
                    // messages sent while nobody listened are lost: every waiting call looks again
                    tell(null);
                }

                @Override
                public void onMessage(String ch, String id) {
                    tell(id);
                }
            };
            subscription = s;
            try (Jedis connection = new Jedis(redis.address(), redis.listenerConfig())) {
                if (!closed) {
                    connection.subscribe(s, channel);
                }
            } catch (RuntimeException e) {
                // Redis went away (or never answered): subscribe again shortly; waiting calls still re-check
            }
            if (!closed) {
                LockSupport.parkNanos(RESUBSCRIBE_EVERY.toNanos());
            }
        }
    }

    private void tell(String id) {
        Consumer<String> c = changed;
        if (c != null) {
            try {
                c.accept(id);
            } catch (RuntimeException e) {
                // a waiter's trouble must not end the subscription
            }
        }
    }

    /** Stores a new approval; for a ticket, only while its key still names {@code heldId}. */
    private boolean store(Approval a, String heldId) throws StateUnavailableException {
        boolean ticket = a.ticketKey() != null;
        Object added = redis.run(RedisSharedState.Script.APPROVAL_ADD,
                List.of(hashPrefix + a.id(), pendingKey, ticket ? ticketPrefix + ticketDigest(a.ticketKey()) : pendingKey,
                        hashPrefix),
                List.of(encode(a), stamp(a), Long.toString(a.requestedAt().toEpochMilli()), a.id(),
                        Long.toString(keepMillis(a)), heldId == null ? "" : heldId, ticket ? "1" : "0"));
        boolean stored = ((Number) added).intValue() == 1;
        if (stored && a.pending()) {
            requestedHere.put(a.id(), a.expiresAt());
        }
        return stored;
    }

    private Optional<Approval> sharedTicket(String ticketKey) throws StateUnavailableException {
        Object json = redis.run(RedisSharedState.Script.APPROVAL_FOR_TICKET,
                List.of(ticketPrefix + ticketDigest(ticketKey), hashPrefix), List.of());
        return json == null ? Optional.empty() : Optional.of(decode(String.valueOf(json)));
    }

    private boolean localMode() {
        return redis.onUnavailable() == SharedState.OnUnavailable.LOCAL;
    }

    /** New requests go to memory without asking Redis: {@code local}, and Redis is known not to answer. */
    private boolean localNow() {
        return localMode() && !redis.answering();
    }

    private static ApprovalStoreUnavailableException unavailable(StateUnavailableException e) {
        return new ApprovalStoreUnavailableException(e.getMessage(), e);
    }

    /**
     * What a change must find to take effect: where the approval stands. Every change moves at least one of these
     * (the arguments and the reasons never change), and each survives the trip through Redis exactly.
     */
    private static String stamp(Approval a) {
        return a.status().wireName() + '|' + a.decidedAt() + '|' + a.decidedBy();
    }

    /** How long Redis keeps the record: past the last moment it can matter, plus {@link #KEEP_AFTER}. */
    private long keepMillis(Approval a) {
        Instant last = a.expiresAt();
        if (a.decidedAt() != null && a.decidedAt().plus(a.spec().timeout()).isAfter(last)) {
            last = a.decidedAt().plus(a.spec().timeout()); // a ticket stays redeemable for the timeout after approval
        }
        return Math.max(1000, Duration.between(clock.instant(), last.plus(KEEP_AFTER)).toMillis());
    }

    /** A ticket key as Redis knows it: its SHA-256 (the key holds the call's arguments, secrets included). */
    static String ticketDigest(String ticketKey) {
        if (ticketKey.startsWith("sha256:")) {
            return ticketKey; // already the digest: read back from Redis
        }
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(ticketKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The record as stored: values redacted as in the audit log; times exact, so that stamps compare. */
    String encode(Approval a) {
        JsonWriter out = new JsonWriter(redaction).beginObject()
                .field("id", a.id())
                .field("call", a.callId())
                .field("tool", a.tool());
        out.name("args").value(a.args());
        out.name("ctx").value(a.ctx());
        out.field("user", a.userId())
                .field("timeout", a.spec().timeout().toString())
                .field("on_timeout", a.spec().onTimeout().wireName())
                .field("mode", a.spec().mode().name())
                .field("rule", a.rule())
                .field("policy", a.policy())
                .field("requested_at", a.requestedAt().toString())
                .field("expires_at", a.expiresAt().toString())
                .field("status", a.status().name())
                .field("decided_by", a.decidedBy())
                // the approver's own words; the call's secrets are hidden in them where this process still knows them
                // (a replica that read the request from Redis knows only their redacted form)
                .field("reason", redaction.secretsOf(a.args(), a.ctx()).hide(redaction.redactValue(a.decisionReason())))
                .field("decided_at", a.decidedAt() == null ? null : a.decidedAt().toString())
                .field("ticket", a.ticketKey() == null ? null : ticketDigest(a.ticketKey()));
        return out.endObject().toString();
    }

    @SuppressWarnings("unchecked")
    Approval decode(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            ApprovalSpec spec = new ApprovalSpec(Duration.parse(n.path("timeout").asText()),
                    Action.fromWireName(n.path("on_timeout").asText()), ApprovalSpec.Mode.valueOf(n.path("mode").asText()));
            return new Approval(n.path("id").asText(), text(n, "call"), text(n, "tool"),
                    n.path("args").isObject() ? JSON.convertValue(n.get("args"), Map.class) : Map.of(),
                    n.path("ctx").isObject() ? JSON.convertValue(n.get("ctx"), Map.class) : Map.of(),
                    text(n, "user"), spec, text(n, "rule"), text(n, "policy"),
                    Instant.parse(n.path("requested_at").asText()), Instant.parse(n.path("expires_at").asText()),
                    Approval.Status.valueOf(n.path("status").asText()), text(n, "decided_by"), text(n, "reason"),
                    n.hasNonNull("decided_at") ? Instant.parse(n.get("decided_at").asText()) : null, text(n, "ticket"));
        } catch (IOException | RuntimeException e) {
            // a record this agent cannot read is an approval it cannot trust: the call needing it is denied
            throw new ApprovalStoreUnavailableException("an approval in the shared state store cannot be read ("
                    + e.getMessage() + ")", e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }
}
