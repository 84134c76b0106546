package dev.toolguard.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.toolguard.policy.audit.AuditFollower;
import dev.toolguard.policy.state.DecisionStream;
import dev.toolguard.policy.state.StateUnavailableException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds the fleet view (SPEC §16): a daemon thread reads this replica's own audit log back as it grows and publishes
 * its decisions and decided approvals to the fleet's stream, where the console of every replica reads them. Being
 * fed from the log, never from a call, the fleet view adds no Redis command and no wait to any call; and what it
 * publishes is the records as written, redacted as they are.
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AuditFollower follower;
    private final DecisionStream stream;
    private final String replica;
    private volatile String problem;

    /** @param replica the name its records go under; null: the stream's name for this process ({@link DecisionStream#replica}) */
    FleetFeed(Path auditFile, DecisionStream stream, String replica) {
        this.follower = AuditFollower.fromEnd(auditFile, BACKLOG_BYTES);
        this.stream = stream;
        this.replica = replica;
    }

    /** Publishes what the audit log {@code auditFile} gets from now on, on a daemon thread. */
    public static FleetFeed start(Path auditFile, DecisionStream stream) {
        return start(new FleetFeed(auditFile, stream, null));
    }

    static FleetFeed start(FleetFeed feed) {
        Thread t = new Thread(feed::loop, "toolguard-fleet-feed");
        t.setDaemon(true);
        t.start();
        return feed;
    }

    /** Null while the feed keeps up, else why it does not. */
    String problem() {
        return problem;
    }

    private void loop() {
        List<String> waiting = List.of();
        boolean failed = false;
        while (true) {
            long pause = POLL_MILLIS;
            try {
                if (waiting.isEmpty()) {
                    if (failed) {
                        follower.skipToBacklog();
                        failed = false;
                    }
                    List<String> lines = follower.read(BATCH);
                    waiting = published(lines);
                    if (lines.size() == BATCH) {
                        pause = 0; // more is waiting in the log
                    }
                }
                if (!waiting.isEmpty()) {
                    stream.publish(replica != null ? replica : stream.replica(), waiting);
                    waiting = List.of();
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
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** What of these audit lines the fleet view shows: decisions (as written) and decided approvals (a summary). */
    static List<String> published(List<String> lines) {
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            JsonNode r;
            try {
                r = JSON.readTree(line);
            } catch (IOException e) {
                continue; // a torn line: the console shows what is whole
            }
            String type = r.path("type").asText();
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
