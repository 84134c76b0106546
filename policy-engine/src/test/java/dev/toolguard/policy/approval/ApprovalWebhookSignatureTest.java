package dev.toolguard.policy.approval;

import com.sun.net.httpserver.HttpServer;
import dev.toolguard.policy.values.Redaction;
import dev.toolguard.policy.decide.ToolCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.toolguard.policy.approval.Approvals.ticket;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A receiver that knows the secret can tell a webhook request came from the agent: it recomputes the
 * HMAC-SHA256 of the exact body bytes and compares it with {@code X-ToolGuard-Signature}.
 */
class ApprovalWebhookSignatureTest {

    private static final String SECRET = "whsec-7f3a9c0e5b2d4e6f8a1b";
    private static final ApprovalWebhook.Settings FAST =
            new ApprovalWebhook.Settings(100, 3, Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(2));

    /** What the receiver saw of one request: the body bytes and the signature header (null when absent). */
    record Received(byte[] body, String signature) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> diagnostics = new CopyOnWriteArrayList<>();
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

    private URI startReceiver(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(body, exchange.getRequestHeaders().getFirst("X-ToolGuard-Signature")));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** The receiver's own check, written as a receiver would write it. */
    private static boolean verifies(String secret, Received r) throws Exception {
        if (r.signature() == null || !r.signature().startsWith("sha256=")) {
            return false;
        }
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal(r.body());
        byte[] given = HexFormat.of().parseHex(r.signature().substring("sha256=".length()));
        return MessageDigest.isEqual(expected, given);
    }

    private void requestApproval(ApprovalWebhook hook) throws Exception {
        ApprovalService service = ApprovalService.builder(new RecordingAudit(), ApprovedCallAdmission.NO_LIMITS)
                .notifier(hook).build();
        service.resolve("call-1", new ToolCall("issue_refund", Map.of("amount", 5000), Map.of("user", Map.of("id", "u1"))),
                ticket());
    }

    @Test
    void aSignedBodyVerifiesUnderTheSecretAndUnderNoOtherSecret() throws Exception {
        webhook = new ApprovalWebhook(startReceiver(204), SECRET, Redaction.DEFAULT, FAST, diagnostics::add);

        requestApproval(webhook);

        await().until(() -> received.size() == 1);
        Received r = received.get(0);
        assertThat(r.signature()).matches("sha256=[0-9a-f]{64}");
        assertThat(verifies(SECRET, r)).isTrue();
        assertThat(verifies(SECRET + "x", r)).isFalse();
        assertThat(r.signature()).isEqualTo(ApprovalWebhook.signature(SECRET, r.body()));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"tool\":\"issue_refund\"").doesNotContain(SECRET);
    }

    @Test
    void aBodyChangedOnTheWayNoLongerVerifies() throws Exception {
        webhook = new ApprovalWebhook(startReceiver(204), SECRET, Redaction.DEFAULT, FAST, diagnostics::add);

        requestApproval(webhook);

        await().until(() -> received.size() == 1);
        Received r = received.get(0);
        byte[] tampered = new String(r.body(), StandardCharsets.UTF_8).replace("5000", "50").getBytes(StandardCharsets.UTF_8);
        assertThat(verifies(SECRET, new Received(tampered, r.signature()))).isFalse();
    }

    @Test
    void withoutASecretNoSignatureIsSent() throws Exception {
        webhook = new ApprovalWebhook(startReceiver(204), Redaction.DEFAULT, FAST, diagnostics::add);

        requestApproval(webhook);

        await().until(() -> received.size() == 1);
        assertThat(received.get(0).signature()).isNull();
    }

    @Test
    void aReceiverThatRefusesEveryTryIsReportedWithoutTheSecret() throws Exception {
        webhook = new ApprovalWebhook(startReceiver(500), SECRET, Redaction.DEFAULT, FAST, diagnostics::add);

        requestApproval(webhook);

        await().until(() -> webhook.failed() == 1);
        assertThat(received).hasSize(3).allSatisfy(r -> assertThat(verifies(SECRET, r)).isTrue());
        assertThat(diagnostics).isNotEmpty().noneMatch(d -> d.contains(SECRET));
    }
}
