package dev.toolguard.policy.approval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.toolguard.policy.approval.Approvals.refund;
import static dev.toolguard.policy.approval.Approvals.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ApprovalWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ApprovalWebhook.Settings FAST =
            new ApprovalWebhook.Settings(100, 4, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2));

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> diagnostics = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToServe = new AtomicInteger();
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

    private URI startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = failuresToServe.getAndDecrement() > 0 ? 500 : 204;
            if (status == 204) {
                received.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    private ApprovalService serviceNotifying(ApprovalWebhook hook) {
        return ApprovalService.builder(new RecordingAudit(), ApprovedCallAdmission.NO_LIMITS).notifier(hook).build();
    }

    @Test
    void everyNewPendingApprovalIsPostedAsJsonWithSecretsRedacted() throws Exception {
        webhook = new ApprovalWebhook(startReceiver(), Redaction.DEFAULT, FAST, diagnostics::add);
        ApprovalService service = serviceNotifying(webhook);
        ToolCall call = new ToolCall("reset_password", Map.of("email", "a@b.c", "token", "s3cr3t"),
                Map.of("user", Map.of("id", "u1")));

        service.resolve("call-1", call, ticket());

        await().until(() -> received.size() == 1);
        JsonNode payload = JSON.readTree(received.get(0));
        assertThat(payload.get("id").asText()).isEqualTo(service.pending().get(0).id());
        assertThat(payload.get("tool").asText()).isEqualTo("reset_password");
        assertThat(payload.get("status").asText()).isEqualTo("pending");
        assertThat(payload.get("user").asText()).isEqualTo("u1");
        assertThat(payload.get("args").get("email").asText()).isEqualTo("a@b.c");
        assertThat(payload.get("args").get("token").asText()).isEqualTo("[REDACTED]");
        assertThat(payload.has("expires_at")).isTrue();
    }

    @Test
    void aFailedDeliveryIsRetried() throws Exception {
        failuresToServe.set(2);
        webhook = new ApprovalWebhook(startReceiver(), Redaction.DEFAULT, FAST, diagnostics::add);

        serviceNotifying(webhook).resolve("call-1", refund(5000), ticket());

        await().until(() -> webhook.delivered() == 1);
        assertThat(received).hasSize(1);
        assertThat(webhook.failed()).isZero();
    }

    @Test
    void aDeadWebhookNeverBlocksDeciding() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ApprovalWebhook.Settings slow =
                new ApprovalWebhook.Settings(1, 100, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30));
        webhook = new ApprovalWebhook(URI.create("http://127.0.0.1:" + closedPort + "/hook"), Redaction.DEFAULT, slow,
                diagnostics::add);
        ApprovalService service = serviceNotifying(webhook);

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 20; i++) {
                service.resolve("call-" + i, refund(5000 + i), ticket());
            }
        });

        assertThat(service.pending()).hasSize(20);
        assertThat(webhook.dropped()).isPositive();
        assertThat(diagnostics).anyMatch(d -> d.contains("queue full"));
    }

    @Test
    void aFailingWebhookIsNamedByItsSchemeAndHostOnlyNeverItsSecretPathOrQuery() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        String secretPath = "/services/T000/B000/XXXXsecretXXXX";
        webhook = new ApprovalWebhook(URI.create("http://bot:pa55@127.0.0.1:" + closedPort + secretPath + "?token=q5ecret"),
                Redaction.DEFAULT, FAST, diagnostics::add);

        serviceNotifying(webhook).resolve("call-1", refund(5000), ticket());

        await().until(() -> webhook.failed() == 1);
        assertThat(diagnostics).anySatisfy(d -> assertThat(d).contains("approval webhook http://127.0.0.1 failed"));
        assertThat(diagnostics).allSatisfy(d -> assertThat(d).doesNotContain("secret", "q5ecret", "pa55",
                String.valueOf(closedPort)));
    }
}
