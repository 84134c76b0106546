package dev.toolguard.agent.console;

import dev.toolguard.policy.audit.AuditFollower;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The console's decisions, read from the tail of this JVM's audit log by a daemon thread that polls it. Reading the
 * log, rather than being told of each decision, keeps the console off the decision path entirely (nothing is added
 * to a guarded call), and shows exactly what is on record, redacted as it was written. The thread starts with the
 * console, which starts when a console page is first asked for; at start it reads back up to {@link #BACKLOG_BYTES}
 * of the log to fill the last hour.
 */
final class AuditTail extends KeptDecisions {

    static final long POLL_MILLIS = 150;
    static final long BACKLOG_BYTES = 8L << 20;
    /** Lines read in one go at most, so that a big backlog is shown as it is read. */
    static final int BATCH = 1000;

    private final AuditFollower follower;
    private final Object readLock = new Object();
    private volatile String problem;

    private AuditTail(Path file, Clock clock) {
        super(clock);
        this.follower = AuditFollower.fromBacklog(file, BACKLOG_BYTES);
    }

    /** Starts reading {@code file} on a daemon thread. */
    static AuditTail start(Path file, Clock clock) {
        AuditTail tail = new AuditTail(file, clock);
        Thread t = new Thread(tail::loop, "toolguard-console-audit-tail");
        t.setDaemon(true);
        t.start();
        return tail;
    }

    private void loop() {
        while (true) {
            try {
                readNew();
                problem = null;
            } catch (IOException | RuntimeException e) {
                problem = "the audit log " + follower.file() + " cannot be read: " + e.getMessage();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads the lines appended since the last pass (one pass at a time: the follower is not thread-safe). */
    void readNew() throws IOException {
        synchronized (readLock) {
            for (var lines = follower.read(BATCH); !lines.isEmpty(); lines = follower.read(BATCH)) {
                lines.forEach(line -> add(line, null, key -> true));
            }
        }
    }

    @Override
    public String unavailable() {
        return problem;
    }
}
