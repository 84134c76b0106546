package dev.toolguard.agent.admin;

import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.approval.ApprovedCallAdmission;
import dev.toolguard.policy.audit.AuditRecord;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §13.10 on the admin API: {@code GET /approvals} shows no secret of the call waiting for a person. */
class AdminApprovalsRedactionTest {

    private static final String ADMIN = "admin-bearer-0001";
    private static final String ACCESS_TOKEN = "at-7c1e0b9a55d2";
    private static final String API_KEY = "ak-3f9d2c81e4b7";
    private static final String CARD = "4111 1111 1111 1111";

    private final List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    private final ApprovalService approvals = ApprovalService.builder(audit::add, ApprovedCallAdmission.NO_LIMITS)
            .build();
    private AdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pendingApprovalsShowRedactedInsteadOfSecretKeysAndPatternMatches() throws Exception {
        Redaction redaction = Redaction.of(List.of(), List.of("\\b\\d{4}(?:[ -]?\\d{4}){3}\\b"), 2048);
        server = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", List.of(),
                        AdminLimits.DEFAULT, redaction), Map.of("ADMIN_TOKEN", ADMIN)::get, approvals,
                () -> new PolicyStatus.Snapshot("p", "v1", "ab".repeat(32), List.of(), null), new Metrics(),
                s -> { }).orElseThrow();
        ToolCall call = new ToolCall("charge", Map.of("accessToken", ACCESS_TOKEN, "X-Api-Key", API_KEY,
                "note", "card " + CARD, "max_tokens", 512), Map.of("user", Map.of("id", "u1")));
        approvals.resolve("call-1", call, new Decision(Action.REQUIRE_APPROVAL, true, "charges need a person",
                "tools.charge.rules[0]", null, "p", "v1", "ab".repeat(32), 1,
                new ApprovalSpec(Duration.ofMinutes(5), Action.DENY, ApprovalSpec.Mode.TICKET), List.of()));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.address().getPort() + "/approvals"))
                .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"accessToken\":\"[REDACTED]\"", "\"X-Api-Key\":\"[REDACTED]\"",
                        "\"note\":\"card [REDACTED]\"", "\"max_tokens\":512")
                .doesNotContain(ACCESS_TOKEN).doesNotContain(API_KEY).doesNotContain("4111 1111");
    }
}
