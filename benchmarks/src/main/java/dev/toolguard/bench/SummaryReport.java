package dev.toolguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one JMH result file (and the start-up probe's) into {@code summary.json} and a table, and checks
 * the goals. Every number is a ratio or a difference taken inside one run, so it holds on a noisy machine.
 *
 * <pre>java -cp benchmarks.jar dev.toolguard.bench.SummaryReport jmh.json startup.json [startup-spring.json] summary.json</pre>
 *
 * <p>A key whose benchmark was not run (a partial run, {@code -e ...}) is left out, and its goal is said to be
 * not measured; the core variants (B0, G0, G1, D, S0, the expressions) must be there.
 */
public final class SummaryReport {

    /** A goal on one summary key: at least or at most a bound. */
    record Goal(String key, boolean atLeast, double bound) {
        boolean met(double value) {
            return atLeast ? value >= bound : value <= bound;
        }

        String text() {
            return (atLeast ? ">= " : "<= ") + format(bound);
        }
    }

    static final Goal[] GOALS = {
        new Goal("ratio_http_over_guard", true, 150),
        new Goal("expr_speedup_vs_cel", true, 20),
        new Goal("deny_over_allow", false, 2),
        new Goal("alloc_bytes_per_call", false, 512),
        new Goal("startup_overhead_ms", false, 300),
        new Goal("startup_overhead_ratio_spring", false, 1.15),
        new Goal("threads2_over_threads1", true, 1.6),
        new Goal("threads2_over_threads1_mapped", true, 1.6),
        new Goal("audit_over_bound_mapped", false, 1),
        new Goal("ratio_http_over_guard_mapped", true, 150),
        new Goal("egress_jdbc_sensor_ns", false, 1000),
        new Goal("egress_http_sensor_ns", false, 1000),
        new Goal("audit_over_bound", false, 1),
        new Goal("large_policy_over_small", false, 1.5),
        new Goal("p99_over_p50", false, 5),
    };

    /**
     * {@code threads2_over_threads1} is a goal only when the machine itself scaled at least this much in the same
     * run ({@code machine_threads2_over_threads1}): two threads cannot do more than the two cores they were given.
     */
    static final double MACHINE_SCALING_FOR_THREADS_GOAL = 1.9;

    private SummaryReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: SummaryReport <jmh.json> <startup.json> [<startup-spring.json>] <summary.json>");
            System.exit(2);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode jmh = json.readTree(Path.of(args[0]).toFile());
        JsonNode startup = json.readTree(Path.of(args[1]).toFile());
        JsonNode spring = args.length == 4 ? json.readTree(Path.of(args[2]).toFile()) : null;
        // SharedStateBenchmark writes the Redis commands per call beside the JMH file, when it ran
        Path roundTrips = Path.of(args[0]).resolveSibling("redis-roundtrips.json");
        JsonNode redis = Files.exists(roundTrips) ? json.readTree(roundTrips.toFile()) : null;
        Map<String, Double> summary = summarize(jmh, startup, spring, redis);
        java.util.List<String> notes = notes(summary);
        com.fasterxml.jackson.databind.node.ObjectNode out = json.valueToTree(summary);
        if (!notes.isEmpty()) {
            out.putPOJO("notes", notes);
        }
        Files.writeString(Path.of(args[args.length - 1]),
                json.enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out) + System.lineSeparator());
        print(jmh, summary, System.out);
        notes.forEach(n -> System.out.println("note: " + n));
        boolean allMet = true;
        for (Goal g : GOALS) {
            allMet &= !applies(g, summary) || g.met(summary.get(g.key()));
        }
        System.out.println(allMet ? "All goals met (those measured)." : "Some goals were missed (see above).");
    }

    /** Whether a goal is judged in this run: its key was measured, and for the threads goal the machine scaled. */
    static boolean applies(Goal g, Map<String, Double> summary) {
        if (!summary.containsKey(g.key())) {
            return false;
        }
        if (g.key().startsWith("threads2_over_threads1")) {
            Double machine = summary.get("machine_threads2_over_threads1");
            return machine == null || machine >= MACHINE_SCALING_FOR_THREADS_GOAL;
        }
        return true;
    }

    /** Computes every summary key from the JMH results and the start-up probe (without Spring or Redis). */
    static Map<String, Double> summarize(JsonNode jmh, JsonNode startup) {
        return summarize(jmh, startup, null, null);
    }

    /**
     * Computes every summary key; with the Spring sample's start-up probe, its ratio; with SharedStateBenchmark's
     * results (and {@code redis}, the commands it counted), the Redis keys too: {@code redis_roundtrips_per_call}
     * and {@code redis_added_latency_ns}, the limited call on Redis over the same call with its token in memory.
     */
    static Map<String, Double> summarize(JsonNode jmh, JsonNode startup, JsonNode springStartup, JsonNode redis) {
        double b0 = score(jmh, "GuardedCallBenchmark.b0_unguarded", null);
        double g1 = score(jmh, "GuardedCallBenchmark.g1_guardedAllow", null);
        double g1x2 = score(jmh, "GuardedCallBenchmark.g1_guardedAllow_2threads", null);
        double g0 = score(jmh, "PolicyOnlyBenchmark.g0_decideOnly", null);
        double d = score(jmh, "GuardedCallBenchmark.d_guardedDeny", null);
        double s0 = score(jmh, "LoopbackHttpBenchmark.s0_loopbackHttp", null);

        double logSum = 0;
        int conditions = 0;
        for (JsonNode r : jmh) {
            if (r.path("benchmark").asText().endsWith("ExpressionBenchmark.ours")) {
                String condition = r.path("params").path("condition").asText();
                double ours = r.path("primaryMetric").path("score").asDouble();
                double cel = score(jmh, "ExpressionBenchmark.cel", condition);
                logSum += Math.log(cel / ours);
                conditions++;
            }
        }
        if (conditions == 0) {
            throw new IllegalArgumentException("no ExpressionBenchmark.ours results in the JMH file");
        }

        Map<String, Double> s = new LinkedHashMap<>();
        s.put("guard_overhead_ns", g0 - b0);
        s.put("guard_overhead_with_audit_ns", g1 - b0);
        s.put("loopback_http_ns", s0 - b0);
        s.put("ratio_http_over_guard", (s0 - b0) / (g1 - b0));
        s.put("expr_speedup_vs_cel", Math.exp(logSum / conditions));
        s.put("deny_over_allow", (d - b0) / (g1 - b0));
        s.put("alloc_bytes_per_call", Math.max(0, allocPerOp(jmh, "GuardedCallBenchmark.g1_guardedAllow")
                - allocPerOp(jmh, "GuardedCallBenchmark.b0_unguarded")));
        s.put("startup_overhead_ms", startup.path("startup_overhead_ms").asDouble());
        // AverageTime is per operation per thread, so throughput with k threads is k / time.
        s.put("threads2_over_threads1", (2 / g1x2) / (1 / g1));
        // SPEC §18: the added cost of a sensor on an allowed JDBC statement and on an HTTP request (goal: under 1 µs)
        if (has(jmh, "EgressBenchmark.e1_jdbcSensed")) {
            s.put("egress_jdbc_sensor_ns", score(jmh, "EgressBenchmark.e1_jdbcSensed", null)
                    - score(jmh, "EgressBenchmark.e0_jdbcWithoutAgent", null));
            s.put("egress_http_sensor_ns", score(jmh, "EgressBenchmark.e1_httpSensed", null)
                    - score(jmh, "EgressBenchmark.e0_httpWithoutAgent", null));
        }
        if (springStartup != null && springStartup.has("startup_overhead_ratio")) {
            s.put("startup_overhead_ratio_spring", springStartup.path("startup_overhead_ratio").asDouble());
        }
        // Not goals: the floor agent's start in the same runs (StartupProbe --floor), what weaving a check costs with
        // ASM alone, with ByteBuddy's Advice, and with its AgentBuilder, before ToolGuard does anything of its own
        floors(startup, "overhead_floor_", "_ms", "startup_floor_ms_", s);
        if (springStartup != null) {
            floors(springStartup, "ratio_floor_", "", "startup_floor_ratio_spring_", s);
        }
        if (has(jmh, "AuditFloorBenchmark.floor")) {
            double floor = score(jmh, "AuditFloorBenchmark.floor", null);
            s.put("audit_floor_ns", floor);
            // the audit goal: a guarded call with its records costs at most three times deciding plus the floor of
            // handing its records to the OS; at most 1 meets it
            s.put("audit_over_bound", (g1 - b0) / (3 * (g0 - b0) + floor));
        }
        if (has(jmh, "MappedAuditBenchmark.g1_guardedAllow_mapped")) {
            // the same keys for the guarded call with its audit log in the mapped layout (audit.layout: mapped); the
            // keys without the suffix keep measuring the default layout
            double g1m = score(jmh, "MappedAuditBenchmark.g1_guardedAllow_mapped", null);
            s.put("guard_overhead_with_audit_ns_mapped", g1m - b0);
            s.put("ratio_http_over_guard_mapped", (s0 - b0) / (g1m - b0));
            if (s.containsKey("audit_floor_ns")) {
                s.put("audit_over_bound_mapped", (g1m - b0) / (3 * (g0 - b0) + s.get("audit_floor_ns")));
            }
            if (has(jmh, "MappedAuditBenchmark.g1_guardedAllow_mapped_2threads")) {
                double g1mx2 = score(jmh, "MappedAuditBenchmark.g1_guardedAllow_mapped_2threads", null);
                s.put("threads2_over_threads1_mapped", (2 / g1mx2) / (1 / g1m));
            }
        }
        if (has(jmh, "PolicyOnlyBenchmark.g0_decideOnly_largePolicy")) {
            s.put("large_policy_over_small", score(jmh, "PolicyOnlyBenchmark.g0_decideOnly_largePolicy", null) / g0);
        }
        if (has(jmh, "GuardedCallBenchmark.g1_guardedAllow_sample")) {
            JsonNode p = result(jmh, "GuardedCallBenchmark.g1_guardedAllow_sample").path("primaryMetric").path("scorePercentiles");
            if (!p.has("50.0") || !p.has("99.0")) {
                throw new IllegalArgumentException("no 50.0 and 99.0 percentiles for g1_guardedAllow_sample: run it in sample mode");
            }
            s.put("p99_over_p50", p.path("99.0").asDouble() / p.path("50.0").asDouble());
        }
        // Not a goal: how well this machine scaled a loop that shares nothing, in the same run, so that a low
        // threads2_over_threads1 can be told apart from a machine that did not have two free cores.
        if (has(jmh, "MachineBenchmark.spin") && has(jmh, "MachineBenchmark.spin_2threads")) {
            double spin = score(jmh, "MachineBenchmark.spin", null);
            double spin2 = score(jmh, "MachineBenchmark.spin_2threads", null);
            s.put("machine_threads2_over_threads1", (2 / spin2) / (1 / spin));
        }
        if (has(jmh, "SharedStateBenchmark.r_limitedRedis") && has(jmh, "SharedStateBenchmark.m_limitedMemory")) {
            s.put("redis_added_latency_ns", score(jmh, "SharedStateBenchmark.r_limitedRedis", null)
                    - score(jmh, "SharedStateBenchmark.m_limitedMemory", null));
            if (redis != null && redis.has("redis_roundtrips_per_call")) {
                s.put("redis_roundtrips_per_call", redis.path("redis_roundtrips_per_call").asDouble());
            }
        }
        return s;
    }

    /** Each probe field {@code <prefix><name><suffix>} as the summary key {@code <key><name>}, in the probe's order. */
    private static void floors(JsonNode probe, String prefix, String suffix, String key, Map<String, Double> s) {
        probe.fieldNames().forEachRemaining(field -> {
            if (field.startsWith(prefix) && field.endsWith(suffix) && field.length() > prefix.length() + suffix.length()) {
                s.put(key + field.substring(prefix.length(), field.length() - suffix.length()), probe.path(field).asDouble());
            }
        });
    }

    /** Why keys are missing from a summary: said in {@code summary.json} ("notes") and under the table. */
    static java.util.List<String> notes(Map<String, Double> summary) {
        java.util.List<String> notes = new java.util.ArrayList<>();
        if (!summary.containsKey("redis_added_latency_ns")) {
            notes.add("redis_roundtrips_per_call and redis_added_latency_ns are missing: SharedStateBenchmark did not"
                    + " run on Redis (no redis-server on the PATH, or left out with -e)");
        } else if (!summary.containsKey("redis_roundtrips_per_call")) {
            notes.add("redis_roundtrips_per_call is missing: the Redis run wrote no " + "redis-roundtrips.json");
        }
        return notes;
    }

    static boolean has(JsonNode jmh, String benchmarkSuffix) {
        for (JsonNode r : jmh) {
            if (r.path("benchmark").asText().endsWith(benchmarkSuffix)) {
                return true;
            }
        }
        return false;
    }

    /** The result of a benchmark by the end of its name; {@code .g1_guardedAllow} is not {@code .g1_guardedAllow_sample}. */
    static JsonNode result(JsonNode jmh, String benchmarkSuffix) {
        for (JsonNode r : jmh) {
            if (r.path("benchmark").asText().endsWith(benchmarkSuffix)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no result for " + benchmarkSuffix + " in the JMH file");
    }

    static double score(JsonNode jmh, String benchmarkSuffix, String condition) {
        for (JsonNode r : jmh) {
            if (r.path("benchmark").asText().endsWith(benchmarkSuffix)
                    && (condition == null || condition.equals(r.path("params").path("condition").asText()))) {
                return r.path("primaryMetric").path("score").asDouble();
            }
        }
        throw new IllegalArgumentException("no result for " + benchmarkSuffix
                + (condition == null ? "" : " condition " + condition) + " in the JMH file");
    }

    /** Bytes allocated per operation, from {@code -prof gc}; JMH has named the metric with and without a dot. */
    static double allocPerOp(JsonNode jmh, String benchmarkSuffix) {
        for (JsonNode r : jmh) {
            if (r.path("benchmark").asText().endsWith(benchmarkSuffix)) {
                JsonNode secondary = r.path("secondaryMetrics");
                for (String name : new String[] {"gc.alloc.rate.norm", "\u00b7gc.alloc.rate.norm"}) {
                    if (secondary.has(name)) {
                        return secondary.path(name).path("score").asDouble();
                    }
                }
                throw new IllegalArgumentException("no gc.alloc.rate.norm for " + benchmarkSuffix + ": run JMH with -prof gc");
            }
        }
        throw new IllegalArgumentException("no result for " + benchmarkSuffix + " in the JMH file");
    }

    static void print(JsonNode jmh, Map<String, Double> summary, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "%-58s %14s %12s%n", "benchmark", "ns/op", "± error");
        for (JsonNode r : jmh) {
            String name = r.path("benchmark").asText().replace("dev.toolguard.bench.", "");
            JsonNode params = r.path("params");
            if (params.has("condition")) {
                name += " [" + params.path("condition").asText() + "]";
            }
            out.printf(Locale.ROOT, "%-58s %14.1f %12.1f%n", name,
                    r.path("primaryMetric").path("score").asDouble(), r.path("primaryMetric").path("scoreError").asDouble());
        }
        out.println();
        out.printf(Locale.ROOT, "%-42s %12s %10s %s%n", "summary", "value", "goal", "");
        for (Map.Entry<String, Double> e : summary.entrySet()) {
            Goal goal = null;
            for (Goal g : GOALS) {
                if (g.key().equals(e.getKey())) {
                    goal = g;
                }
            }
            out.printf(Locale.ROOT, "%-42s %12s %10s %s%n", e.getKey(), format(e.getValue()),
                    goal == null ? "" : goal.text(), goal == null ? "" : !applies(goal, summary)
                            ? "not judged (the machine did not scale)" : goal.met(e.getValue()) ? "met" : "MISSED");
        }
        for (Goal g : GOALS) {
            if (!summary.containsKey(g.key())) {
                out.printf(Locale.ROOT, "%-42s %12s %10s %s%n", g.key(), "-", g.text(), "not measured in this run");
            }
        }
    }

    static String format(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
