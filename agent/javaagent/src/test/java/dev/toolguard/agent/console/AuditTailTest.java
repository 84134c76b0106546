package dev.toolguard.agent.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's decisions as read back from a real audit log: whole records only, redacted as written, counted by minute. */
class AuditTailTest {

    @TempDir
    Path dir;

    private static Decision decision(Action action, String rule, long latencyNanos) {
        return new Decision(action, true, action == Action.DENY ? "no" : "ok", rule, null, "p", "v1", "ab".repeat(32),
                latencyNanos, null, List.of());
    }

    @Test
    void decisionsAreReadAsWrittenRedactedAndCountedByMinute() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            log.decision("c-1", new ToolCall("lookup", Map.of("customer_id", "c1", "password", "hunter2-secret"),
                    Map.of("user", Map.of("id", "u1"), "session", Map.of("id", "s1"))), "A#lookup()",
                    decision(Action.ALLOW, "tools.lookup", 2_000_000));
            log.decision("c-2", new ToolCall("close", Map.of(), Map.of("user", Map.of("id", "u2"))), "A#close()",
                    decision(Action.DENY, "tools.close", 4_000_000));
        }
        AuditTail tail = AuditTail.start(file, Clock.systemUTC());
        org.awaitility.Awaitility.await().until(() -> tail.latest() == 2);

        List<DecisionSource.Decision> recent = tail.recent(10, d -> true);
        assertThat(recent).extracting(DecisionSource.Decision::id).containsExactly("c-2", "c-1");
        DecisionSource.Decision first = recent.get(1);
        assertThat(first.user()).isEqualTo("u1");
        assertThat(first.session()).isEqualTo("s1");
        assertThat(first.record()).contains("\"customer_id\":\"c1\"").doesNotContain("hunter2-secret");
        assertThat(tail.after(1, d -> true)).extracting(DecisionSource.Decision::id).containsExactly("c-2");

        DecisionSource.Hour hour = tail.lastHour(Instant.now());
        assertThat(hour.byAction().get("deny")[59] + hour.byAction().get("deny")[58]).isEqualTo(1);
        assertThat(hour.denyByTool().get("close")).containsExactly(1, 1);
        assertThat(hour.denyByTool().get("lookup")).containsExactly(0, 1);
        assertThat(hour.denyByRule()).containsEntry("tools.close", 1L);
    }

    @Test
    void aLineIsReadOnlyOnceItIsWhole() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String line = "{\"type\":\"decision\",\"ts\":\"" + Instant.now() + "\",\"id\":\"c-9\",\"tool\":\"t\",\"action\":\"allow\"}";
        Files.writeString(file, line.substring(0, 20), StandardCharsets.UTF_8);
        AuditTail tail = AuditTail.start(file, Clock.systemUTC());
        tail.readNew();
        assertThat(tail.latest()).isZero();

        Files.writeString(file, line.substring(20) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        org.awaitility.Awaitility.await().until(() -> tail.latest() == 1);

        assertThat(tail.find("c-9")).isPresent();
    }

    @Test
    void theOverviewDataIsJson() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of())) {
            log.decision("c-1", new ToolCall("t", Map.of(), Map.of()), "A#t()", decision(Action.ALLOW, "tools.t", 1_234_567));
        }
        AuditTail tail = AuditTail.start(file, Clock.systemUTC());
        org.awaitility.Awaitility.await().until(() -> tail.latest() == 1);

        DecisionSource.Hour hour = tail.lastHour(Instant.now());
        assertThat(hour.p50Millis()[59] != null ? hour.p50Millis()[59] : hour.p50Millis()[58]).isEqualTo(1.234567);
        assertThat(new ObjectMapper().readTree(Pages.overviewJson(hour, dev.toolguard.policy.values.Redaction.DEFAULT))
                .path("p50").size()).isEqualTo(60);
    }
}
