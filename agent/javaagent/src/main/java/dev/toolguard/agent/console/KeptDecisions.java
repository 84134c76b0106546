package dev.toolguard.agent.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The decisions and approval events the console keeps in memory, read from audit records (its own log's, or the
 * fleet's): the last {@link #KEPT_DECISIONS} decisions numbered in the order read, and the last hour counted minute
 * by minute. What it hands out is the records as written, so redacted as they are.
 */
abstract class KeptDecisions implements DecisionSource {

    static final int KEPT_DECISIONS = 2000;
    static final int KEPT_APPROVAL_EVENTS = 100;
    /** Latencies kept per minute for its percentiles; a busier minute keeps a sample of them. */
    static final int LATENCIES_PER_MINUTE = 4096;
    static final String[] ACTIONS = {"allow", "deny", "require_approval"};

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    // guarded by this
    private final ArrayDeque<Decision> decisions = new ArrayDeque<>();
    private final ArrayDeque<ApprovalEvent> approvalEvents = new ArrayDeque<>();
    private final TreeMap<Long, Minute> minutes = new TreeMap<>();
    private final Map<String, Instant> replicas = new TreeMap<>();
    private long seq;

    /** What one minute saw. */
    private static final class Minute {
        final long[] byAction = new long[ACTIONS.length];
        final long[] latencies = new long[LATENCIES_PER_MINUTE];
        int latencyCount;
        long seen;
        final Map<String, long[]> byTool = new LinkedHashMap<>();
        final Map<String, Long> deniedByRule = new LinkedHashMap<>();
    }

    KeptDecisions(Clock clock) {
        this.clock = clock;
    }

    /**
     * Keeps one audit record if the console shows it: a decision, or an approval's decided event.
     *
     * @param replica the replica that wrote it (null: this process, without a fleet)
     * @param fresh   asked with the record's key (a decision's id; an approval's id and event) before it is kept:
     *                false leaves out a record already kept
     */
    final void add(String line, String replica, Predicate<String> fresh) {
        if (line.isBlank()) {
            return;
        }
        JsonNode r;
        try {
            r = JSON.readTree(line);
        } catch (IOException e) {
            return; // a torn line: verify-audit says so; the console shows what is whole
        }
        String type = r.path("type").asText();
        if (type.equals("decision")) {
            if (fresh.test(r.path("id").asText())) {
                decision(r, line, replica);
            }
            return;
        }
        if (type.equals("approval") && decidedEvent(r.path("event").asText())
                && fresh.test(r.path("id").asText() + "/" + r.path("event").asText())) {
            synchronized (this) {
                approvalEvents.addFirst(new ApprovalEvent(r.path("id").asText(), r.path("event").asText(),
                        instant(r.path("ts").asText()), text(r.path("by")), text(r.path("reason"))));
                while (approvalEvents.size() > KEPT_APPROVAL_EVENTS) {
                    approvalEvents.removeLast();
                }
            }
        }
    }

    /** The approval events the console lists as recently decided. */
    static boolean decidedEvent(String event) {
        return event.equals("approved") || event.equals("rejected") || event.equals("timed_out");
    }

    private void decision(JsonNode r, String line, String replica) {
        JsonNode ctx = r.path("ctx");
        Instant ts = instant(r.path("ts").asText());
        String action = r.path("action").asText();
        long latency = r.path("latency_ns").asLong();
        synchronized (this) {
            Decision d = new Decision(++seq, r.path("id").asText(), ts, r.path("tool").asText(), action,
                    r.path("enforced").asBoolean(true), text(ctx.path("user").path("id")), text(ctx.path("tenant")),
                    text(ctx.path("session").path("id")), text(r.path("rule")), text(r.path("reason")), latency,
                    text(r.path("policy").path("version")), replica, line);
            decisions.addFirst(d);
            if (replica != null && ts != null) {
                replicas.merge(replica, ts, (a, b) -> a.isAfter(b) ? a : b);
            }
            while (decisions.size() > KEPT_DECISIONS) {
                decisions.removeLast();
            }
            count(d);
            notifyAll();
        }
    }

    /** Adds a decision to its minute's counts (called holding this). */
    private void count(Decision d) {
        if (d.ts() == null) {
            return;
        }
        long minute = d.ts().getEpochSecond() / 60 * 60;
        Minute m = minutes.computeIfAbsent(minute, k -> new Minute());
        int action = Arrays.asList(ACTIONS).indexOf(d.action());
        if (action >= 0) {
            m.byAction[action]++;
        }
        m.seen++;
        if (m.latencyCount < LATENCIES_PER_MINUTE) {
            m.latencies[m.latencyCount++] = d.latencyNanos();
        } else {
            // a reservoir sample keeps the percentiles honest in a busy minute without keeping every latency
            long slot = Math.floorMod(d.seq() * 2654435761L, m.seen);
            if (slot < LATENCIES_PER_MINUTE) {
                m.latencies[(int) slot] = d.latencyNanos();
            }
        }
        long[] tool = m.byTool.computeIfAbsent(d.tool(), k -> new long[2]);
        tool[1]++;
        if (d.action().equals("deny")) {
            tool[0]++;
            if (d.rule() != null) {
                m.deniedByRule.merge(d.rule(), 1L, Long::sum);
            }
        }
        long oldest = clock.instant().getEpochSecond() / 60 * 60 - 3600;
        minutes.headMap(oldest, false).clear();
    }

    /** Whether the record with this key (see {@link #add}) is kept already. */
    synchronized boolean kept(String key) {
        int slash = key.indexOf('/');
        if (slash < 0) {
            return decisions.stream().anyMatch(d -> d.id().equals(key));
        }
        String id = key.substring(0, slash);
        String event = key.substring(slash + 1);
        return approvalEvents.stream().anyMatch(e -> e.id().equals(id) && e.event().equals(event));
    }

    /** The replicas whose decisions of the last hour are kept, by name. */
    synchronized List<String> replicasOfTheLastHour() {
        Instant hourAgo = clock.instant().minusSeconds(3600);
        replicas.values().removeIf(last -> last.isBefore(hourAgo));
        return List.copyOf(replicas.keySet());
    }

    @Override
    public synchronized List<Decision> recent(int max, Predicate<Decision> filter) {
        List<Decision> out = new ArrayList<>();
        for (Decision d : decisions) {
            if (out.size() >= max) {
                break;
            }
            if (filter.test(d)) {
                out.add(d);
            }
        }
        return out;
    }

    @Override
    public synchronized List<Decision> after(long after, Predicate<Decision> filter) {
        List<Decision> out = new ArrayList<>();
        for (Iterator<Decision> it = decisions.iterator(); it.hasNext(); ) {
            Decision d = it.next();
            if (d.seq() <= after) {
                break;
            }
            if (filter.test(d)) {
                out.add(0, d);
            }
        }
        return out;
    }

    @Override
    public synchronized Optional<Decision> find(String callId) {
        return decisions.stream().filter(d -> d.id().equals(callId)).findFirst();
    }

    @Override
    public synchronized long latest() {
        return seq;
    }

    @Override
    public synchronized long awaitAfter(long after, long millis) throws InterruptedException {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (seq <= after) {
            long left = (until - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        return seq;
    }

    @Override
    public synchronized Hour lastHour(Instant now) {
        long last = now.getEpochSecond() / 60 * 60;
        long[] starts = new long[60];
        Map<String, long[]> byAction = new LinkedHashMap<>();
        for (String a : ACTIONS) {
            byAction.put(a, new long[60]);
        }
        Double[] p50 = new Double[60];
        Double[] p99 = new Double[60];
        Map<String, long[]> byTool = new TreeMap<>();
        Map<String, Long> byRule = new TreeMap<>();
        for (int i = 0; i < 60; i++) {
            long start = last - (59 - i) * 60L;
            starts[i] = start;
            Minute m = minutes.get(start);
            if (m == null) {
                continue;
            }
            for (int a = 0; a < ACTIONS.length; a++) {
                byAction.get(ACTIONS[a])[i] = m.byAction[a];
            }
            if (m.latencyCount > 0) {
                long[] sorted = Arrays.copyOf(m.latencies, m.latencyCount);
                Arrays.sort(sorted);
                p50[i] = percentile(sorted, 0.50) / 1e6;
                p99[i] = percentile(sorted, 0.99) / 1e6;
            }
            m.byTool.forEach((tool, counts) -> {
                long[] sum = byTool.computeIfAbsent(tool, k -> new long[2]);
                sum[0] += counts[0];
                sum[1] += counts[1];
            });
            m.deniedByRule.forEach((rule, n) -> byRule.merge(rule, n, Long::sum));
        }
        return new Hour(starts, byAction, p50, p99, byTool, byRule);
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public synchronized List<ApprovalEvent> decidedApprovals(int max) {
        return approvalEvents.stream().limit(max).toList();
    }

    /** A JSON value as text (a string's text, an object's JSON), or null when absent or null. */
    static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() ? null : n.isValueNode() ? n.asText() : n.toString();
    }

    private static Instant instant(String ts) {
        try {
            return Instant.parse(ts);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
