package dev.toolguard.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolguard.policy.audit.AuditFollower;
import dev.toolguard.policy.state.DecisionStream;
import dev.toolguard.policy.state.StateUnavailableException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds the fleet view (SPEC §16): a daemon thread reads this replica's own audit log back as it grows and publishes
 * its decisions and decided approvals to the fleet's stream, where the console of every replica reads them. Being
 * fed from the log, never from a call, the fleet view adds no Redis command and no wait to any call; and what it
 * publishes is the records as written, redacted as they are.
 *
 * <p>It publishes only while some console of the fleet is being viewed: SPEC §14 says a tool with no stateful
 * feature makes zero Redis commands, and a feed that copied every decision to Redis all the time would break that for
 * every call. So at start the feed subscribes to the fleet's channel (one command, on a connection of its own), and
 * sends nothing more until a viewed console asks ({@link DecisionStream#want}, about every
 * {@link FleetDecisions#WANT_EVERY_MILLIS}); then it publishes for {@link #WANTED_FOR_MILLIS} after the last ask. The
 * first time after a quiet period it starts with what its log got in the last hour and was not published yet (at
 * most the last {@link #BACKLOG_BYTES} of it), so that the console shows the fleet's last hour; then it follows live.
 * Quiet, it only keeps its place in the log, in memory.
 *
 * <p>While Redis does not answer, the records wait in the log: the feed tries again every {@link #RETRY_MILLIS} and
 * then publishes what it missed (at most the last {@link #BACKLOG_BYTES} of it), so the fleet view lags, and nothing
 * else. Runs with {@code state.store: redis} and an audit log in a file; started with the agent, console or not.
 */
public final class FleetFeed {

    static final long POLL_MILLIS = 150;
    static final long RETRY_MILLIS = 500;
    /** Records published in one round trip at most. */
    static final int BATCH = 200;
    /** What a feed that fell behind (Redis was away) still catches up on: the consoles keep about this much anyway. */
    static final long BACKLOG_BYTES = 8L << 20;
    /** A decision record longer than this goes to the stream without its arguments and context. */
    static final int MAX_RECORD_CHARS = 64 * 1024;
    /** How long the feed publishes after a console last asked: several of a viewed console's asks. */
    static final long WANTED_FOR_MILLIS = 60_000;
    /** What the consoles show, and so what the feed publishes: records of the last hour. */
    static final long SHOWN_MILLIS = 3_600_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditFollower follower;
    private final DecisionStream stream;
    private final String replica;
    private volatile String problem;
    /** Until when (System.nanoTime) a console wants records; 0: never asked yet. */
    private volatile long wantedUntil;
    private final Object wake = new Object();
    private final long wantedForNanos;

    /** @param replica the name its records go under; null: the stream's name for this process ({@link DecisionStream#replica}) */
    FleetFeed(Path auditFile, DecisionStream stream, String replica) {
        this(auditFile, stream, replica, WANTED_FOR_MILLIS);
    }

    /** @param wantedForMillis how long it publishes after an ask (shorter in tests) */
    FleetFeed(Path auditFile, DecisionStream stream, String replica, long wantedForMillis) {
        // from its backlog: the first console that asks gets this replica's last hour (the log may predate this run)
        this.follower = AuditFollower.fromBacklog(auditFile, BACKLOG_BYTES);
        this.stream = stream;
        this.replica = replica;
        this.wantedForNanos = wantedForMillis * 1_000_000;
    }

    /**
     * Publishes the records of the audit log {@code auditFile} whenever a console of the fleet is viewed, on a daemon
     * thread; subscribes to the consoles' asks first (a moment at most when Redis does not answer).
     */
    public static FleetFeed start(Path auditFile, DecisionStream stream) {
        return start(new FleetFeed(auditFile, stream, null));
    }

    static FleetFeed start(FleetFeed feed) {
        feed.stream.onWanted(feed::wanted);
        Thread t = new Thread(feed::loop, "toolguard-fleet-feed");
        t.setDaemon(true);
        t.start();
        return feed;
    }

    /** A console of the fleet is being viewed: publish for the next {@link #WANTED_FOR_MILLIS}, starting now. */
    void wanted() {
        wantedUntil = System.nanoTime() + wantedForNanos;
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    /** Whether a console asked for records within the last {@link #WANTED_FOR_MILLIS}. */
    boolean isWanted() {
        long until = wantedUntil;
        return until != 0 && until - System.nanoTime() > 0;
    }

    /** Null while the feed keeps up, else why it does not. */
    String problem() {
        return problem;
    }

    private void loop() {
        List<String> waiting = List.of();
        boolean failed = false;
        boolean publishing = false;
        while (true) {
            long pause = POLL_MILLIS;
            try {
                if (!isWanted()) {
                    // no console is viewed: nothing goes to Redis (SPEC §14); records not sent yet wait in `waiting`
                    publishing = false;
                } else {
                    if (!publishing || failed) {
                        // back after a quiet period (or Redis was away): at most the backlog of what was not published
                        follower.skipToBacklog();
                        publishing = true;
                        failed = false;
                    }
                    if (waiting.isEmpty()) {
                        List<String> lines = follower.read(BATCH);
                        waiting = published(lines, System.currentTimeMillis() - SHOWN_MILLIS);
                        if (lines.size() == BATCH) {
                            pause = 0; // more is waiting in the log
                        }
                    }
                    if (!waiting.isEmpty()) {
                        stream.publish(replica != null ? replica : stream.replica(), waiting);
                        waiting = List.of();
                    }
                }
                problem = null;
            } catch (StateUnavailableException e) {
                problem = e.getMessage();
                failed = true;
                pause = RETRY_MILLIS;
            } catch (IOException | RuntimeException e) {
                problem = "the audit log " + follower.file() + " cannot be read: " + e.getMessage();
                pause = RETRY_MILLIS;
            }
            if (pause > 0) {
                try {
                    synchronized (wake) {
                        wake.wait(pause); // a console's ask wakes it at once
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** What of these audit lines the fleet view shows: decisions (as written) and decided approvals (a summary). */
    static List<String> published(List<String> lines) {
        return published(lines, Long.MIN_VALUE);
    }

    /** As {@link #published(List)}, leaving out records made before {@code sinceEpochMillis} (the consoles' hour). */
    static List<String> published(List<String> lines, long sinceEpochMillis) {
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            JsonNode r;
            try {
                r = JSON.readTree(line);
            } catch (IOException e) {
                continue; // a torn line: the console shows what is whole
            }
            String type = r.path("type").asText();
            if (sinceEpochMillis != Long.MIN_VALUE && before(r.path("ts").asText(), sinceEpochMillis)) {
                continue;
            }
            if (type.equals("decision")) {
                out.add(line.length() <= MAX_RECORD_CHARS ? line : shortened((ObjectNode) r));
            } else if (type.equals("approval") && KeptDecisions.decidedEvent(r.path("event").asText())) {
                ObjectNode summary = JSON.createObjectNode();
                for (String field : List.of("type", "ts", "id", "event", "by", "reason")) {
                    if (r.has(field)) {
                        summary.set(field, r.get(field));
                    }
                }
                out.add(summary.toString());
            }
        }
        return out;
    }

    /** Whether a record's time is before {@code epochMillis}; a time that cannot be read is not (it is shown). */
    private static boolean before(String ts, long epochMillis) {
        try {
            return Instant.parse(ts).toEpochMilli() < epochMillis;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A decision record too long for the stream: its arguments (and, if need be, its context) left out. */
    private static String shortened(ObjectNode r) {
        String note = "left out of the fleet view: the record is longer than " + MAX_RECORD_CHARS
                + " characters; the audit log of the replica that made it has it whole";
        r.put("args", note);
        if (r.toString().length() > MAX_RECORD_CHARS) {
            r.put("ctx", note);
        }
        return r.toString();
    }
}
