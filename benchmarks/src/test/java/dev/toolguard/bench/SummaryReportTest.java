package dev.toolguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SummaryReportTest {

    private final ObjectMapper json = new ObjectMapper();

    private JsonNode results() throws Exception {
        return json.readTree(getClass().getResourceAsStream("/jmh-results.json"));
    }

    @Test
    void theFloorAgentsStartsAreReferenceKeysWithoutGoals() throws Exception {
        Map<String, Double> s = SummaryReport.summarize(results(),
                json.readTree("{\"startup_overhead_ms\": 900, \"median_floor_asm_ms\": 230, \"overhead_floor_asm_ms\": 50,"
                        + " \"ratio_floor_asm\": 1.27, \"overhead_floor_agent_builder_ms\": 600}"),
                json.readTree("{\"startup_overhead_ratio\": 1.3, \"overhead_floor_asm_ms\": 240,"
                        + " \"ratio_floor_asm\": 1.07, \"ratio_floor_agent_builder\": 1.15}"), null);

        assertThat(s).containsEntry("startup_floor_ms_asm", 50.0).containsEntry("startup_floor_ms_agent_builder", 600.0)
                .containsEntry("startup_floor_ratio_spring_asm", 1.07)
                .containsEntry("startup_floor_ratio_spring_agent_builder", 1.15)
                .doesNotContainKeys("startup_floor_ms_", "startup_floor_ratio_spring_");
        assertThat(s.keySet().stream().filter(k -> k.startsWith("startup_floor"))).hasSize(4);
        assertThat(SummaryReport.GOALS).noneMatch(g -> g.key().startsWith("startup_floor"));
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        SummaryReport.print(results(), s, new PrintStream(table, true, StandardCharsets.UTF_8));
        assertThat(table.toString(StandardCharsets.UTF_8)).containsPattern("startup_floor_ms_agent_builder\\s+600\\s*\\n");
    }

    @Test
    void computesEveryKeyFromOneRun() throws Exception {
        Map<String, Double> s = SummaryReport.summarize(results(),
                json.readTree("{\"startup_overhead_ms\": 120.5}"),
                json.readTree("{\"startup_overhead_ms\": 400.0, \"startup_overhead_ratio\": 1.12}"), null);

        assertThat(s).containsOnlyKeys("guard_overhead_ns", "guard_overhead_with_audit_ns", "loopback_http_ns",
                "ratio_http_over_guard", "expr_speedup_vs_cel", "deny_over_allow", "alloc_bytes_per_call",
                "startup_overhead_ms", "threads2_over_threads1", "machine_threads2_over_threads1",
                "startup_overhead_ratio_spring", "audit_floor_ns", "audit_over_bound", "large_policy_over_small",
                "p99_over_p50", "guard_overhead_with_audit_ns_mapped", "ratio_http_over_guard_mapped",
                "audit_over_bound_mapped", "threads2_over_threads1_mapped");
        assertThat(s.get("guard_overhead_ns")).isCloseTo(300.0, within(1e-9));            // 302 - 2
        assertThat(s.get("guard_overhead_with_audit_ns")).isCloseTo(800.0, within(1e-9)); // 802 - 2
        assertThat(s.get("loopback_http_ns")).isCloseTo(79998.0, within(1e-9));
        assertThat(s.get("ratio_http_over_guard")).isCloseTo(79998.0 / 800.0, within(1e-9));
        assertThat(s.get("deny_over_allow")).isCloseTo(1200.0 / 800.0, within(1e-9));
        assertThat(s.get("alloc_bytes_per_call")).isCloseTo(512.0, within(1e-9));
        assertThat(s.get("startup_overhead_ms")).isCloseTo(120.5, within(1e-9));
        assertThat(s.get("startup_overhead_ratio_spring")).isCloseTo(1.12, within(1e-9));
        // one thread: 1/802 ops per ns; two threads at 1002 ns each: 2/1002
        assertThat(s.get("threads2_over_threads1")).isCloseTo((2 / 1002.0) / (1 / 802.0), within(1e-9));
        // geometric mean of 1000/20 and 4000/50
        assertThat(s.get("expr_speedup_vs_cel")).isCloseTo(Math.sqrt(50.0 * 80.0), within(1e-9));
        // the machine's own scaling: two threads at 125 ns each against one at 100 ns
        assertThat(s.get("machine_threads2_over_threads1")).isCloseTo((2 / 125.0) / (1 / 100.0), within(1e-9));
        assertThat(s.get("audit_floor_ns")).isCloseTo(100.0, within(1e-9));
        // G1 - B0 over three times (G0 - B0) plus the floor: 800 / (900 + 100)
        assertThat(s.get("audit_over_bound")).isCloseTo(0.8, within(1e-9));
        // the large bundle's G0 over the small one's, same call
        assertThat(s.get("large_policy_over_small")).isCloseTo(362.4 / 302.0, within(1e-9));
        // the sampled G1: p99 2400 ns over p50 800 ns
        assertThat(s.get("p99_over_p50")).isCloseTo(3.0, within(1e-9));
        // the same keys on the mapped layout (G1 mapped 402 ns, two threads 452 ns each); the plain keys unchanged
        assertThat(s.get("guard_overhead_with_audit_ns_mapped")).isCloseTo(400.0, within(1e-9));
        assertThat(s.get("ratio_http_over_guard_mapped")).isCloseTo(79998.0 / 400.0, within(1e-9));
        assertThat(s.get("audit_over_bound_mapped")).isCloseTo(0.4, within(1e-9));
        assertThat(s.get("threads2_over_threads1_mapped")).isCloseTo((2 / 452.0) / (1 / 402.0), within(1e-9));
    }

    @Test
    void keysOfVariantsNotRunAreLeftOutAndTheirGoalsSaidNotMeasured() throws Exception {
        com.fasterxml.jackson.databind.node.ArrayNode partial = json.createArrayNode();
        for (JsonNode r : results()) {
            String name = r.path("benchmark").asText();
            if (!name.contains("AuditFloor") && !name.endsWith("_largePolicy") && !name.endsWith("_sample")
                    && !name.contains("MappedAudit")) {
                partial.add(r);
            }
        }
        Map<String, Double> s = SummaryReport.summarize(partial, json.readTree("{\"startup_overhead_ms\": 1}"));
        assertThat(s).doesNotContainKeys("audit_floor_ns", "audit_over_bound", "large_policy_over_small",
                "p99_over_p50", "startup_overhead_ratio_spring", "guard_overhead_with_audit_ns_mapped",
                "threads2_over_threads1_mapped");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SummaryReport.print(partial, s, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .containsPattern("large_policy_over_small\\s+-\\s+<= 1\\.50 not measured in this run")
                .containsPattern("startup_overhead_ratio_spring\\s+-\\s+<= 1\\.15 not measured in this run");
    }

    @Test
    void theThreadsGoalIsJudgedOnlyWhenTheMachineScaled() throws Exception {
        // the recorded machine reference scaled 1.6 times, below 1.9: two threads had no two free cores
        Map<String, Double> s = SummaryReport.summarize(results(), json.readTree("{\"startup_overhead_ms\": 1}"));
        SummaryReport.Goal threads = java.util.Arrays.stream(SummaryReport.GOALS)
                .filter(g -> g.key().equals("threads2_over_threads1")).findFirst().orElseThrow();
        assertThat(SummaryReport.applies(threads, s)).isFalse();

        s.put("machine_threads2_over_threads1", 1.95);
        assertThat(SummaryReport.applies(threads, s)).isTrue();
        assertThat(threads.met(s.get("threads2_over_threads1"))).isTrue(); // 1.6008 on a machine that scaled 1.95
        s.put("threads2_over_threads1", 1.25);
        assertThat(threads.met(s.get("threads2_over_threads1"))).isFalse();
        // the mapped layout's scaling goal is judged on the same condition
        SummaryReport.Goal mapped = java.util.Arrays.stream(SummaryReport.GOALS)
                .filter(g -> g.key().equals("threads2_over_threads1_mapped")).findFirst().orElseThrow();
        assertThat(SummaryReport.applies(mapped, s)).isTrue();
        s.put("machine_threads2_over_threads1", 1.6);
        assertThat(SummaryReport.applies(mapped, s)).isFalse();
    }

    @Test
    void theMachineReferenceIsLeftOutWhenItWasNotRun() throws Exception {
        com.fasterxml.jackson.databind.node.ArrayNode without = json.createArrayNode();
        for (JsonNode r : results()) {
            if (!r.path("benchmark").asText().contains("MachineBenchmark")) {
                without.add(r);
            }
        }
        Map<String, Double> s = SummaryReport.summarize(without, json.readTree("{\"startup_overhead_ms\": 1}"));

        assertThat(s).doesNotContainKey("machine_threads2_over_threads1").containsKey("threads2_over_threads1");
    }

    @Test
    void theRedisKeysComeFromTheSharedStateRunAndAreNotedWhenItDidNotRun() throws Exception {
        com.fasterxml.jackson.databind.node.ArrayNode with = (com.fasterxml.jackson.databind.node.ArrayNode) results().deepCopy();
        with.add(json.readTree("{\"benchmark\":\"dev.toolguard.bench.SharedStateBenchmark.m_limitedMemory\","
                + "\"primaryMetric\":{\"score\":400.0}}"));
        with.add(json.readTree("{\"benchmark\":\"dev.toolguard.bench.SharedStateBenchmark.r_limitedRedis\","
                + "\"primaryMetric\":{\"score\":30400.0}}"));

        Map<String, Double> s = SummaryReport.summarize(with, json.readTree("{\"startup_overhead_ms\": 1}"), null,
                json.readTree("{\"redis_roundtrips_per_call\": 1.0, \"calls\": 5000}"));
        Map<String, Double> without = SummaryReport.summarize(results(), json.readTree("{\"startup_overhead_ms\": 1}"));

        assertThat(s.get("redis_added_latency_ns")).isCloseTo(30000.0, within(1e-9));
        assertThat(s.get("redis_roundtrips_per_call")).isCloseTo(1.0, within(1e-9));
        assertThat(SummaryReport.notes(s)).isEmpty();
        assertThat(without).doesNotContainKeys("redis_added_latency_ns", "redis_roundtrips_per_call");
        assertThat(SummaryReport.notes(without)).singleElement().asString().contains("no redis-server on the PATH");
    }

    @Test
    void aMissingVariantIsNamed() throws Exception {
        JsonNode onlyB0 = json.readTree("[{\"benchmark\":\"dev.toolguard.bench.GuardedCallBenchmark.b0_unguarded\","
                + "\"primaryMetric\":{\"score\":2.0}}]");
        assertThatThrownBy(() -> SummaryReport.summarize(onlyB0, json.readTree("{}")))
                .hasMessageContaining("g1_guardedAllow");
    }

    @Test
    void tableMarksMissedGoals() throws Exception {
        Map<String, Double> s = SummaryReport.summarize(results(), json.readTree("{\"startup_overhead_ms\": 900}"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SummaryReport.print(results(), s, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);

        assertThat(table).containsPattern("startup_overhead_ms\\s+900\\s+<= 300 MISSED");
        // 100 is below the goal of 150
        assertThat(table).containsPattern("ratio_http_over_guard\\s+100\\.00\\s+>= 150 MISSED");
        assertThat(table).containsPattern("p99_over_p50\\s+3\\.00\\s+<= 5\\.00 met");
        assertThat(table).containsPattern("threads2_over_threads1\\s+1\\.60\\s+>= 1\\.60 not judged");
    }
}
