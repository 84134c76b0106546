package dev.toolguard.policy.approval;

import com.sun.net.httpserver.HttpServer;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.toolguard.policy.approval.Approvals.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §13.10 on the approval webhook: the payload carries no secret key's value and no pattern match. */
class ApprovalWebhookRedactionTest {

    private static final String ACCESS_TOKEN = "at-7c1e0b9a55d2";
    private static final String API_KEY = "ak-3f9d2c81e4b7";

    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private ApprovalWebhook webhook;

    @AfterEach
    void stop() {
        if (webhook != null) {
            webhook.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void thePayloadShowsRedactedForSecretWordsAndValuePatterns() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        webhook = new ApprovalWebhook(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook"),
                Redaction.of(List.of(), List.of("\\b\\d{4}(?:[ -]?\\d{4}){3}\\b"), 2048),
                new ApprovalWebhook.Settings(10, 2, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2)),
                s -> { });
        ApprovalService service = ApprovalService.builder(new RecordingAudit(), ApprovedCallAdmission.NO_LIMITS)
                .notifier(webhook).build();

        service.resolve("call-1", new ToolCall("charge", Map.of("accessToken", ACCESS_TOKEN, "X-Api-Key", API_KEY,
                "note", "card 4111 1111 1111 1111", "max_tokens", 512), Map.of("user", Map.of("id", "u1"))), ticket());

        await().until(() -> received.size() == 1);
        assertThat(received.get(0)).contains("\"accessToken\":\"[REDACTED]\"", "\"X-Api-Key\":\"[REDACTED]\"",
                        "\"note\":\"card [REDACTED]\"", "\"max_tokens\":512")
                .doesNotContain(ACCESS_TOKEN).doesNotContain(API_KEY).doesNotContain("4111 1111");
    }
}
