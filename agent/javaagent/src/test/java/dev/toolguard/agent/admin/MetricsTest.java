package dev.toolguard.agent.admin;

import dev.toolguard.policy.decide.Action;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsTest {

    private static Map<String, PrometheusText.Family> exposition(Metrics metrics) {
        StringBuilder out = new StringBuilder();
        metrics.writePrometheus(out);
        return PrometheusText.parse(out.toString());
    }

    private static double sample(PrometheusText.Family family, String name, Map<String, String> labels) {
        return family.samples().stream().filter(s -> s.name().equals(name) && s.labels().equals(labels))
                .findFirst().orElseThrow().value();
    }

    @Test
    void countsDecisionsByToolAndAction() {
        Metrics metrics = new Metrics();
        metrics.decided("issue_refund", Action.ALLOW, 1_000);
        metrics.decided("issue_refund", Action.DENY, 1_000);
        metrics.decided("issue_refund", Action.DENY, 1_000);

        PrometheusText.Family decisions = exposition(metrics).get("toolguard_decisions_total");

        assertThat(decisions.type()).isEqualTo("counter");
        assertThat(sample(decisions, "toolguard_decisions_total", Map.of("tool", "issue_refund", "action", "deny")))
                .isEqualTo(2);
        assertThat(sample(decisions, "toolguard_decisions_total", Map.of("tool", "issue_refund", "action", "allow")))
                .isEqualTo(1);
    }

    @Test
    void putsLatenciesInCumulativeBucketsWithSumAndCount() {
        Metrics metrics = new Metrics();
        metrics.decided("t", Action.ALLOW, 800);           // <= 1µs
        metrics.decided("t", Action.ALLOW, 3_000_000);     // <= 5ms
        metrics.decided("t", Action.ALLOW, 60_000_000_000L); // beyond every bound

        PrometheusText.Family latency = exposition(metrics).get("toolguard_decision_latency_seconds");
        String bucket = "toolguard_decision_latency_seconds_bucket";

        assertThat(latency.type()).isEqualTo("histogram");
        assertThat(sample(latency, bucket, Map.of("le", "0.000001"))).isEqualTo(1);
        assertThat(sample(latency, bucket, Map.of("le", "0.005"))).isEqualTo(2);
        assertThat(sample(latency, bucket, Map.of("le", "10"))).isEqualTo(2);
        assertThat(sample(latency, bucket, Map.of("le", "+Inf"))).isEqualTo(3);
        assertThat(sample(latency, "toolguard_decision_latency_seconds_sum", Map.of()))
                .isEqualTo(60.0030008, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void countsReloadsAndInternalErrors() {
        Metrics metrics = new Metrics();
        metrics.reloaded(true);
        metrics.reloaded(false);
        metrics.reloaded(false);
        metrics.internalError();

        Map<String, PrometheusText.Family> families = exposition(metrics);

        assertThat(sample(families.get("toolguard_policy_reloads_total"), "toolguard_policy_reloads_total",
                Map.of("result", "failed"))).isEqualTo(2);
        assertThat(sample(families.get("toolguard_internal_errors_total"), "toolguard_internal_errors_total",
                Map.of())).isEqualTo(1);
    }

    @Test
    void countsCallsDeniedBecauseTheSessionHistoryWasFull() {
        Metrics metrics = new Metrics();
        metrics.sessionHistoryFull(() -> 3);

        assertThat(sample(exposition(metrics).get("toolguard_session_history_full_total"),
                "toolguard_session_history_full_total", Map.of())).isEqualTo(3);
    }

    @Test
    void escapesToolNamesInLabels() {
        Metrics metrics = new Metrics();
        metrics.decided("we\"ird\\tool\nname", Action.DENY, 1);

        PrometheusText.Family decisions = exposition(metrics).get("toolguard_decisions_total");

        assertThat(decisions.samples()).anyMatch(s -> "we\"ird\\tool\nname".equals(s.labels().get("tool")));
    }

    @Test
    void boundsTheNumberOfToolLabels() {
        Metrics metrics = new Metrics();
        for (int i = 0; i < Metrics.MAX_TOOLS + 10; i++) {
            metrics.decided("tool" + i, Action.ALLOW, 1);
        }

        PrometheusText.Family decisions = exposition(metrics).get("toolguard_decisions_total");

        assertThat(decisions.samples().stream().map(s -> s.labels().get("tool")).distinct().count())
                .isEqualTo(Metrics.MAX_TOOLS + 1);
        assertThat(sample(decisions, "toolguard_decisions_total", Map.of("tool", Metrics.OTHER_TOOL, "action", "allow")))
                .isEqualTo(10);
    }

    @Test
    void theStrictParserRejectsWhatPrometheusWouldReject() {
        assertThatThrownBy(() -> PrometheusText.parse("x_total 1\n")).hasMessageContaining("TYPE");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x counter\nx{a=\"b} 1\n"))
                .isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE x counter\nx one\n")).hasMessageContaining("bad value");
    }
}
