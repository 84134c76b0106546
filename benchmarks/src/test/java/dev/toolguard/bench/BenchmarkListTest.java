package dev.toolguard.bench;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The smoke test of the benchmarks: they compile (this module is built by {@code ./mvnw verify}, which never
 * runs JMH), and JMH's generated list still holds every variant the summary reads, so a renamed method shows
 * up here rather than at the end of a ten-minute run.
 */
class BenchmarkListTest {

    @Test
    void everyVariantTheSummaryNeedsIsABenchmark() throws IOException {
        String list;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertThat(in).as("JMH's annotation processor wrote META-INF/BenchmarkList").isNotNull();
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String variant : new String[] {
            "GuardedCallBenchmark.b0_unguarded", "GuardedCallBenchmark.g1_guardedAllow",
            "GuardedCallBenchmark.g1_guardedAllow_2threads", "GuardedCallBenchmark.g2_guardedSchema",
            "GuardedCallBenchmark.d_guardedDeny", "PolicyOnlyBenchmark.g0_decideOnly",
            "LoopbackHttpBenchmark.s0_loopbackHttp", "ExpressionBenchmark.ours", "ExpressionBenchmark.cel",
            "SharedStateBenchmark.m_limitedMemory", "SharedStateBenchmark.r_limitedRedis",

            "GuardedCallBenchmark.g1_guardedAllow_sample", "PolicyOnlyBenchmark.g0_decideOnly_largePolicy",
            "AuditFloorBenchmark.floor", "MachineBenchmark.spin", "MachineBenchmark.spin_2threads",
            "MappedAuditBenchmark.g1_guardedAllow_mapped", "MappedAuditBenchmark.g1_guardedAllow_mapped_2threads"}) {
            // each benchmark method has a generated class named after it
            assertThat(list).as(variant).contains("dev.toolguard.bench.jmh_generated." + variant.replace('.', '_') + "_jmhTest");
            // and RunAll's groups include it (JMH includes by regex search on the full method name)
            String method = "dev.toolguard.bench." + variant;
            assertThat(java.util.regex.Pattern.compile(RunAll.GUARDED).matcher(method).find()
                    || java.util.regex.Pattern.compile(RunAll.EXPRESSIONS).matcher(method).find())
                    .as(variant + " is in a group RunAll runs").isTrue();
        }
    }

    @Test
    void theLargeBundleLoadsWithItsToolsRolesAndForbidEntries() {
        dev.toolguard.policy.load.LoadResult loaded = dev.toolguard.policy.load.BundleLoader.load(
                java.util.List.of(LargePolicy.write(java.nio.file.Path.of("target/large-policy-test")).toString()));
        assertThat(loaded.errors()).isEmpty();
        dev.toolguard.policy.load.CompiledBundle bundle = (dev.toolguard.policy.load.CompiledBundle) loaded.bundle();
        assertThat(bundle.tools()).hasSize(LargePolicy.TOOLS);
        assertThat(bundle.roles()).hasSize(LargePolicy.ROLES);
        assertThat(bundle.forbids()).hasSize(LargePolicy.FORBIDS);
    }

    @Test
    void theExpressionConditionsCompileInOurLanguage() {
        for (String condition : ExpressionBenchmark.CONDITIONS) {
            assertThat(dev.toolguard.policy.expr.ExpressionCompiler.compile(condition).ok()).as(condition).isTrue();
        }
    }
}
