package dev.toolguard.agent.console;

import dev.toolguard.policy.audit.AuditFollower;
import dev.toolguard.policy.state.DecisionStream;
import dev.toolguard.policy.state.StateUnavailableException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's decisions with {@code state.store: redis} (SPEC §16): every replica's, read by a daemon thread from
 * the fleet's stream, which each replica's {@link FleetFeed} fills from its own audit log. At start it reads the
 * stream's last hour back.
 *
 * <p>It reads the stream only while the console is being {@link #viewed}, and then asks every replica to publish
 * ({@link DecisionStream#want}) every {@link #WANT_EVERY_MILLIS}: replicas publish their records only while some
 * console of the fleet is viewed, so that a tool with no stateful feature makes no Redis command (SPEC §14). The first
 * records of another replica thus arrive a moment after the first page, with that replica's last hour.
 *
 * <p>When the stream cannot be read, the pages say that the fleet view is unavailable and go on with this replica's
 * own decisions, from its audit log; once the stream answers again, what the other replicas published meanwhile
 * comes in, and this replica's records that were already shown from its log are not shown twice.
 */
final class FleetDecisions extends KeptDecisions {

    static final long POLL_MILLIS = 150;
    /** Stream entries read in one round trip at most. */
    static final int BATCH = 1000;
    /** The ids of records shown from this replica's log while the stream was away: the ones to skip in it later. */
    static final int REMEMBERED_LOCAL = 20_000;
    /** How often a viewed console asks the replicas to publish: well within their {@link FleetFeed#WANTED_FOR_MILLIS}. */
    static final long WANT_EVERY_MILLIS = 10_000;
    /** How long a page's request counts as the console being viewed: Overview refreshes every 10 s, a live stream more. */
    static final long VIEWED_FOR_MILLIS = 15_000;
    static final long HOUR_MILLIS = 3_600_000;
    /**
     * After the stream failed, the first ask that gets through is made again this much later: the replicas' feeds
     * subscribe again within a quarter second of Redis answering, and an ask made before they do is heard by none.
     */
    static final long ASK_AGAIN_AFTER_FAILURE_MILLIS = 1_000;

    private final DecisionStream stream;
    /** This replica's audit log, or null when it goes to standard error. */
    private final AuditFollower local;
    private final Clock clock;
    private final Set<String> shownFromLocal = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_LOCAL;
        }
    });
    private final Object readLock = new Object();
    /** The id of the last stream entry read, or null before the first. */
    private String lastId;
    /** Why the stream could not be read when last read, or null. */
    private String streamProblem;
    /** When (the clock's millis) the replicas were last asked to publish; 0: never. */
    private long wantedAt;
    /** The stream failed since the last ask that got through. */
    private boolean failedSinceAsked;
    /** When a page that shows decisions was last requested; 0: never. */
    private volatile long viewedAt;
    private final Object wake = new Object();
    private volatile String problem = "the fleet view has not been read yet";

    private FleetDecisions(DecisionStream stream, Path auditFile, Clock clock) {
        super(clock);
        this.stream = stream;
        this.local = auditFile == null ? null : AuditFollower.fromBacklog(auditFile, AuditTail.BACKLOG_BYTES);
        this.clock = clock;
    }

    /** Starts reading the stream (and, while it does not answer, {@code auditFile}, if not null) on a daemon thread. */
    static FleetDecisions start(DecisionStream stream, Path auditFile, Clock clock) {
        FleetDecisions fleet = new FleetDecisions(stream, auditFile, clock);
        Thread t = new Thread(fleet::loop, "toolguard-console-fleet-view");
        t.setDaemon(true);
        t.start();
        return fleet;
    }

    private void loop() {
        while (true) {
            try {
                readNew();
            } catch (RuntimeException e) {
                problem = "the fleet view failed: " + e.getMessage();
            }
            try {
                synchronized (wake) {
                    wake.wait(POLL_MILLIS); // a page's first request wakes it at once
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void viewed() {
        boolean quiet = !viewedNow(clock.millis());
        viewedAt = clock.millis();
        if (quiet) {
            synchronized (wake) {
                wake.notifyAll();
            }
        }
    }

    private boolean viewedNow(long now) {
        long at = viewedAt;
        return at != 0 && now - at < VIEWED_FOR_MILLIS;
    }

    /** One pass: what the stream got since the last one, or (when it cannot be read) what this replica's log got. */
    void readNew() {
        synchronized (readLock) {
            long now = clock.millis();
            // not viewed: the stream is neither asked for nor read (SPEC §14), and what was last known of it stands
            if (viewedNow(now)) {
                readStream(now);
            }
            String logProblem = null;
            if (local != null) {
                // read on every pass, so that when the stream is away only what came since is shown from here
                String replica = stream.replica();
                try {
                    for (List<String> lines = local.read(BATCH); !lines.isEmpty(); lines = local.read(BATCH)) {
                        if (streamProblem != null) {
                            // a record read from the stream just before it went away is not shown twice either
                            lines.forEach(line -> add(line, replica, key -> !kept(key) && shownFromLocal.add(key)));
                        }
                    }
                } catch (IOException e) {
                    logProblem = "the audit log " + local.file() + " cannot be read: " + e.getMessage();
                }
            }
            problem = streamProblem == null ? null : "The fleet view is unavailable (" + streamProblem + "): this page"
                    + " shows this replica's decisions only" + (local == null
                    ? " (none: its audit log goes to standard error)" : ", from its audit log")
                    + ", until Redis answers again." + (logProblem == null ? "" : " Also, " + logProblem + ".");
        }
    }

    /** Asks the replicas to publish (every {@link #WANT_EVERY_MILLIS}), then reads what the stream got since. */
    private void readStream(long now) {
        try {
            if (wantedAt == 0 || now - wantedAt >= WANT_EVERY_MILLIS) {
                stream.want();
                wantedAt = failedSinceAsked ? now - WANT_EVERY_MILLIS + ASK_AGAIN_AFTER_FAILURE_MILLIS : now;
                failedSinceAsked = false;
            }
            if (lastId != null && idMillis(lastId) < now - HOUR_MILLIS) {
                lastId = null; // viewed again after more than an hour: the stream's last hour, as at the first page
            }
            List<DecisionStream.Entry> entries = stream.read(lastId, now - HOUR_MILLIS, BATCH);
            while (!entries.isEmpty()) {
                for (DecisionStream.Entry e : entries) {
                    add(e.record(), e.replica(), key -> !shownFromLocal.remove(key));
                    lastId = e.id();
                }
                entries = entries.size() < BATCH ? List.of() : stream.read(lastId, 0, BATCH);
            }
            streamProblem = null;
        } catch (StateUnavailableException e) {
            streamProblem = e.getMessage();
            wantedAt = 0; // asked again as soon as Redis answers (the feeds may have missed asks meanwhile)
            failedSinceAsked = true;
        }
    }

    /** The time part of a stream entry's id ({@code <millis>-<seq>}). */
    private static long idMillis(String id) {
        int dash = id.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public String unavailable() {
        return problem;
    }

    @Override
    public boolean fleet() {
        return true;
    }

    @Override
    public String scope() {
        List<String> replicas = replicasOfTheLastHour();
        return "The whole fleet: the decisions of every replica that shares " + stream.where() + " (" + replicas.size()
                + (replicas.size() == 1 ? " replica" : " replicas") + " in the last hour"
                + (replicas.isEmpty() ? "" : ": " + String.join(", ", replicas)) + "; this is " + stream.replica()
                + "). Each arrives within about a second of being made.";
    }
}
