package dev.toolguard.policy.audit;

import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.decide.TraceStep;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.10 in the audit file: a decision made outside the engine (an internal error whose message quotes a
 * value) is hidden when its record is written, and so are args, ctx and approval reasons.
 */
class AuditRedactionTest {

    private static final String PASSWORD = "hunter2-correct-horse";
    private static final String SESSION = "sess-cookie-42abc";
    private static final String CARD = "4111-1111-1111-1111";

    @TempDir
    Path dir;

    @Test
    void aDecisionRecordHidesSecretsInArgsCtxReasonAndErrors() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Redaction redaction = Redaction.of(List.of(), List.of("\\d{4}-\\d{4}-\\d{4}-\\d{4}"), 2048);
        ToolCall call = new ToolCall("login", Map.of("password", PASSWORD, "note", "card " + CARD),
                Map.of("user", Map.of("id", "u1", "session_cookie", SESSION)));
        Decision internal = new Decision(Action.DENY, true,
                "internal error while deciding (IllegalStateException: bad value " + PASSWORD + ")", "on_error", null,
                null, null, null, 5, null,
                List.of(new TraceStep("internal", "on_error", "error", "saw " + SESSION + " and " + CARD)),
                Decision.Origin.INTERNAL_ERROR);

        try (AuditLog log = AuditLog.open(new AuditConfig(file.toString(), FsyncMode.NEVER, null, redaction),
                Map.of("agent", "test"))) {
            log.decision("c1", call, "com.acme.Login#login(String)", internal);
        }

        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(PASSWORD).doesNotContain(SESSION).doesNotContain("4111-1111")
                .contains("bad value [REDACTED])").contains("saw [REDACTED] and [REDACTED]")
                .contains("\"password\":\"[REDACTED]\"").contains("\"note\":\"card [REDACTED]\"");
    }

    @Test
    void anApprovalReasonMatchingAValuePatternIsHidden() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        Redaction redaction = Redaction.of(List.of(), List.of("\\d{4}-\\d{4}-\\d{4}-\\d{4}"), 2048);

        try (AuditLog log = AuditLog.open(new AuditConfig(file.toString(), FsyncMode.NEVER, null, redaction),
                Map.of("agent", "test"))) {
            log.append(new ApprovalRecord("a1", "approved", null, null, null, null, null, null, "boss",
                    "ok for card " + CARD));
        }

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).doesNotContain(CARD)
                .contains("ok for card [REDACTED]");
    }
}
