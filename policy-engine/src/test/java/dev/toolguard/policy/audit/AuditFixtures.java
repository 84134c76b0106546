package dev.toolguard.policy.audit;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.decide.TraceStep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

final class AuditFixtures {

    static final String METHOD = "com.acme.RefundTools#issueRefund(String,double,String)";

    private AuditFixtures() {
    }

    static Decision deny(List<TraceStep> trace) {
        return new Decision(Action.DENY, true, "refund amount not allowed for your role",
                "tools.issue_refund.rules[3]", null, "support-agent", "2026-11-21.1", "ab".repeat(32), 812, null,
                trace);
    }

    static Decision deny() {
        return deny(List.of());
    }

    static ToolCall refund(long amount) {
        return new ToolCall("issue_refund", Map.of("customer_id", "c1", "amount", amount),
                Map.of("user", Map.of("id", "u1"), "tenant", "acme"));
    }

    static AuditLog open(Path file) throws AuditWriteException {
        return open(file, AuditLayout.APPEND);
    }

    static AuditLog open(Path file, AuditLayout layout) throws AuditWriteException {
        return AuditLog.open(AuditConfig.toFile(file.toString()).withLayout(layout), Map.of("agent", "test"));
    }

    /** A log with a start record and {@code decisions} decision records. */
    static Path logWith(Path dir, int decisions) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = open(file)) {
            for (int i = 0; i < decisions; i++) {
                log.decision(log.newId(), refund(100 + i), METHOD, deny());
            }
        }
        return file;
    }

    /** The lines written so far: up to the first zero byte, where the zero tail of a mapped log being written begins. */
    static List<String> lines(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int unwritten = text.indexOf('\0');
        String written = unwritten < 0 ? text : text.substring(0, unwritten);
        return written.lines().toList();
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
