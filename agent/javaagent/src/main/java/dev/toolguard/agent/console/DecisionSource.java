package dev.toolguard.agent.console;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where the console reads decisions and approval events from. Everything it hands out was read from audit records,
 * so it is redacted as they are. One JVM reads its own audit log ({@link AuditTail}); with {@code state.store: redis}
 * the console reads every replica's records from Redis ({@link FleetDecisions}, SPEC §16).
 */
interface DecisionSource {

    /** Null when decisions can be read, else why not (shown on the pages that need them). */
    String unavailable();

    /** Whether the decisions are the fleet's, each with the replica that made it. */
    default boolean fleet() {
        return false;
    }

    /** What the decisions shown cover, said to people; null when there is nothing to say. */
    default String scope() {
        return null;
    }

    /**
     * A signed-in person has a page open that shows decisions (asked on each of its requests, and as its live stream
     * goes on). With a fleet, records are published only while some console is viewed (SPEC §14 vs §16).
     */
    default void viewed() {
    }

    /** Up to {@code max} decisions that pass {@code filter}, newest first. */
    List<Decision> recent(int max, Predicate<Decision> filter);

    /** The decisions read after {@code seq} that pass {@code filter}, oldest first. */
    List<Decision> after(long seq, Predicate<Decision> filter);

    /** The decision with this call id among those kept. */
    Optional<Decision> find(String callId);

    /** The number of the newest decision read so far (0 before the first). */
    long latest();

    /** Waits until a decision newer than {@code seq} is read, at most {@code millis}; returns {@link #latest()}. */
    long awaitAfter(long seq, long millis) throws InterruptedException;

    /** The last hour, minute by minute, as of {@code now}. */
    Hour lastHour(Instant now);

    /** Approvals decided lately (approved, rejected, timed out), newest first. */
    List<ApprovalEvent> decidedApprovals(int max);

    /**
     * One decision record, summarized for lists and filters; {@code record} is the whole record as written.
     *
     * @param seq     numbered in the order read, from 1
     * @param replica the replica that made it, in a fleet (else null)
     */
    record Decision(long seq, String id, Instant ts, String tool, String action, boolean enforced, String user,
                    String tenant, String session, String rule, String reason, long latencyNanos,
                    String policyVersion, String replica, String record) {
    }

    /** An approval that left {@code pending}: {@code event} is approved, rejected or timed_out. */
    record ApprovalEvent(String id, String event, Instant ts, String by, String reason) {
    }

    /**
     * @param minutes     the start of each minute (epoch seconds), oldest first, sixty of them
     * @param byAction    per action ({@code allow}, {@code deny}, {@code require_approval}), decisions per minute
     * @param p50Millis   the median decision latency of each minute (null when it had no decision)
     * @param p99Millis   the 99th percentile of each minute
     * @param denyByTool  per tool: {denied, decided} in the hour
     * @param denyByRule  per rule: denials in the hour
     */
    record Hour(long[] minutes, Map<String, long[]> byAction, Double[] p50Millis, Double[] p99Millis,
                Map<String, long[]> denyByTool, Map<String, Long> denyByRule) {
    }
}
