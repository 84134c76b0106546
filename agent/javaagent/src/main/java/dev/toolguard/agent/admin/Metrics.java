package dev.toolguard.agent.admin;

import dev.toolguard.policy.decide.Action;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters behind {@code GET /metrics}, fed by the runtime on every decision. Lock-free: LongAdders, and a
 * concurrent map that is only written the first time a tool is seen.
 */
public final class Metrics {

    /** Upper bounds of the decision-latency histogram, in seconds. */
    static final double[] LATENCY_BUCKETS = {
            0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Tools beyond this many distinct names are counted under {@link #OTHER_TOOL}, to bound label cardinality. */
    static final int MAX_TOOLS = 1000;
    static final String OTHER_TOOL = "_other";

    private static final long[] BUCKET_NANOS = new long[LATENCY_BUCKETS.length];

    static {
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            BUCKET_NANOS[i] = Math.round(LATENCY_BUCKETS[i] * 1e9);
        }
    }

    private final ConcurrentHashMap<String, LongAdder[]> decisions = new ConcurrentHashMap<>();
    /** One slot per bucket plus one for +Inf; not cumulative (that is done when writing). */
    private final LongAdder[] latencyBuckets = adders(LATENCY_BUCKETS.length + 1);
    private final LongAdder latencySumNanos = new LongAdder();
    private final LongAdder reloadsOk = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    /** How many times a new session found the session history full ({@code state.max_sessions}). */
    private volatile java.util.function.LongSupplier sessionHistoryFull = () -> 0;
    private final LongAdder stateUnavailable = new LongAdder();
    private final LongAdder stateAvailable = new LongAdder();
    /** -1: no shared store; 1 answering; 0 not answering. */
    private volatile int stateAnswering = -1;
    /** Each module's status by name (applied, degraded, not_applied, absent); read when metrics are written. */
    private volatile java.util.function.Supplier<Map<String, String>> instrumentation = Map::of;

    private volatile java.util.function.Supplier<Map<String, String>> unmatchedEntries = Map::of;

    /** Where {@code toolguard_rules_unmatched} reads the rules.yaml entries that matched nothing from. */
    public void unmatchedEntries(java.util.function.Supplier<Map<String, String>> entries) {
        this.unmatchedEntries = entries;
    }

    /** Where {@code toolguard_session_history_full_total} reads its count from. */
    public void sessionHistoryFull(java.util.function.LongSupplier count) {
        this.sessionHistoryFull = count;
    }

    /** Where {@code toolguard_instrumentation} reads each module's status from. */
    public void instrumentation(java.util.function.Supplier<Map<String, String>> statuses) {
        this.instrumentation = statuses;
    }

    /** Counts one decision of {@code tool} and its latency. */
    public void decided(String tool, Action action, long latencyNanos) {
        LongAdder[] byAction = decisions.get(tool);
        if (byAction == null) {
            String key = decisions.size() >= MAX_TOOLS ? OTHER_TOOL : tool;
            byAction = decisions.computeIfAbsent(key, k -> adders(Action.values().length));
        }
        byAction[action.ordinal()].increment();
        int bucket = 0;
        while (bucket < BUCKET_NANOS.length && latencyNanos > BUCKET_NANOS[bucket]) {
            bucket++;
        }
        latencyBuckets[bucket].increment();
        latencySumNanos.add(latencyNanos);
    }

    /** Egress checks by kind (sql, http, mail, exec) and outcome ({@link #EGRESS_OUTCOMES}). */
    private final LongAdder[][] egress = new LongAdder[dev.toolguard.policy.egress.EgressKind.values().length][];
    /** allowed; denied (refused); shadow_denied (denied but not enforced); error (the sensor failed). */
    static final String[] EGRESS_OUTCOMES = {"allowed", "denied", "shadow_denied", "error"};

    {
        for (int i = 0; i < egress.length; i++) {
            egress[i] = adders(EGRESS_OUTCOMES.length);
        }
    }

    /** Counts one egress a sensor saw and what came of it: an index into {@link #EGRESS_OUTCOMES}. */
    public void egress(dev.toolguard.policy.egress.EgressKind kind, int outcome) {
        egress[kind.ordinal()][outcome].increment();
    }

    /**
     * Decisions since the start by action ({@code allow}, {@code deny}, {@code require_approval}), summed over
     * tools: the sums of {@code toolguard_decisions_total}, which the console's overview shows.
     */
    public Map<String, Long> totalsByAction() {
        Map<String, Long> totals = new java.util.LinkedHashMap<>();
        for (Action action : Action.values()) {
            long sum = 0;
            for (LongAdder[] byAction : decisions.values()) {
                sum += byAction[action.ordinal()].sum();
            }
            totals.put(action.wireName(), sum);
        }
        return totals;
    }

    /** Counts one policy reload attempt. */
    public void reloaded(boolean ok) {
        (ok ? reloadsOk : reloadsFailed).increment();
    }

    /** Counts one switch of the shared state store (SPEC §14) and remembers how it stands. */
    public void stateSwitched(boolean answering) {
        (answering ? stateAvailable : stateUnavailable).increment();
        stateAnswering = answering ? 1 : 0;
    }

    /** Counts one internal error (decided by on_error), including audit write failures. */
    public void internalError() {
        internalErrors.increment();
    }

    /** Writes every metric in the Prometheus text exposition format (version 0.0.4). */
    public void writePrometheus(StringBuilder out) {
        family(out, "toolguard_decisions_total", "counter", "Tool-call decisions by tool and action.");
        Map<String, LongAdder[]> sorted = new TreeMap<>(decisions);
        for (Map.Entry<String, LongAdder[]> e : sorted.entrySet()) {
            for (Action action : Action.values()) {
                out.append("toolguard_decisions_total{tool=\"").append(escape(e.getKey()))
                        .append("\",action=\"").append(action.wireName()).append("\"} ")
                        .append(e.getValue()[action.ordinal()].sum()).append('\n');
            }
        }

        family(out, "toolguard_decision_latency_seconds", "histogram", "Time spent deciding one call.");
        long cumulative = 0;
        for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
            cumulative += latencyBuckets[i].sum();
            out.append("toolguard_decision_latency_seconds_bucket{le=\"")
                    .append(BigDecimal.valueOf(LATENCY_BUCKETS[i]).stripTrailingZeros().toPlainString()).append("\"} ")
                    .append(cumulative).append('\n');
        }
        cumulative += latencyBuckets[LATENCY_BUCKETS.length].sum();
        out.append("toolguard_decision_latency_seconds_bucket{le=\"+Inf\"} ").append(cumulative).append('\n');
        out.append("toolguard_decision_latency_seconds_sum ")
                .append(BigDecimal.valueOf(latencySumNanos.sum()).movePointLeft(9).toPlainString()).append('\n');
        out.append("toolguard_decision_latency_seconds_count ").append(cumulative).append('\n');

        family(out, "toolguard_policy_reloads_total", "counter", "Policy reloads by result.");
        out.append("toolguard_policy_reloads_total{result=\"ok\"} ").append(reloadsOk.sum()).append('\n');
        out.append("toolguard_policy_reloads_total{result=\"failed\"} ").append(reloadsFailed.sum()).append('\n');

        family(out, "toolguard_internal_errors_total", "counter",
                "Internal errors while deciding or auditing, decided by on_error.");
        out.append("toolguard_internal_errors_total ").append(internalErrors.sum()).append('\n');

        family(out, "toolguard_session_history_full_total", "counter",
                "Calls denied because the session history was full of sessions that can still deny (state.max_sessions).");
        out.append("toolguard_session_history_full_total ").append(sessionHistoryFull.getAsLong()).append('\n');
        if (stateAnswering >= 0) {
            family(out, "toolguard_state_switches_total", "counter",
                    "Times the shared state store stopped (unavailable) or started (available) answering.");
            out.append("toolguard_state_switches_total{to=\"unavailable\"} ").append(stateUnavailable.sum()).append('\n');
            out.append("toolguard_state_switches_total{to=\"available\"} ").append(stateAvailable.sum()).append('\n');
            family(out, "toolguard_state_available", "gauge", "1 while the shared state store answers, else 0.");
            out.append("toolguard_state_available ").append(stateAnswering).append('\n');
        }

        family(out, "toolguard_instrumentation", "gauge",
                "Each framework module and how it stands in this JVM (not_applied: its tool calls are denied).");
        for (Map.Entry<String, String> e : new TreeMap<>(instrumentation.get()).entrySet()) {
            out.append("toolguard_instrumentation{module=\"").append(escape(e.getKey())).append("\",status=\"")
                    .append(escape(e.getValue())).append("\"} 1\n");
        }

        family(out, "toolguard_rules_unmatched", "gauge",
                "rules.yaml entries that matched a class but no method of it (method_missing) or no class (class_missing).");
        for (Map.Entry<String, String> e : new TreeMap<>(unmatchedEntries.get()).entrySet()) {
            out.append("toolguard_rules_unmatched{entry=\"").append(escape(e.getKey())).append("\",problem=\"")
                    .append(escape(e.getValue())).append("\"} 1\n");
        }

        family(out, "toolguard_egress_total", "counter",
                "Egress seen by the sensors inside guarded calls (and outside, when audited), by kind and outcome.");
        for (dev.toolguard.policy.egress.EgressKind kind : dev.toolguard.policy.egress.EgressKind.values()) {
            for (int i = 0; i < EGRESS_OUTCOMES.length; i++) {
                out.append("toolguard_egress_total{kind=\"").append(kind.key()).append("\",outcome=\"")
                        .append(EGRESS_OUTCOMES[i]).append("\"} ").append(egress[kind.ordinal()][i].sum()).append('\n');
            }
        }
        family(out, "toolguard_advice_failures_total", "counter",
                "Failures of the agent's inlined advice; each denied its call and was said on standard error.");
        out.append("toolguard_advice_failures_total ")
                .append(dev.toolguard.api.internal.GuardBridge.adviceFailures()).append('\n');
    }

    static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Escapes a label value as the exposition format requires: backslash, double quote, newline. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}
