package dev.toolguard.agent.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.approval.ApprovedCallAdmission;
import dev.toolguard.policy.audit.AuditRecord;
import dev.toolguard.policy.audit.Redaction;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AdminServerTest {

    private static final String TOKEN = "s3cret-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-21T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    private final ApprovalService approvals = ApprovalService.builder(audit::add, ApprovedCallAdmission.NO_LIMITS)
            .clock(clock).pollInterval(Duration.ofMillis(20)).build();
    private final Metrics metrics = new Metrics();
    private final PolicyStatus policy = () -> new PolicyStatus.Snapshot("support-agent", "2026-11-21.1",
            "ab".repeat(32), List.of("policies/"), "policies/b.yaml:3:5: unknown key 'acton'");
    private final List<String> diagnostics = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private AdminServer server;

    @AfterEach
    void stop() {
        callers.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    private AdminServer start() {
        server = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", Redaction.DEFAULT),
                Map.of("ADMIN_TOKEN", TOKEN)::get, approvals, policy, metrics, diagnostics::add).orElseThrow();
        return server;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(path, TOKEN);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private static Decision requireApproval(ApprovalSpec.Mode mode) {
        return new Decision(Action.REQUIRE_APPROVAL, true, "refunds over 2000 need a manager",
                "tools.issue_refund.rules[2]", null, "support-agent", "v1", "ab".repeat(32), 900,
                new ApprovalSpec(Duration.ofMinutes(10), Action.DENY, mode), List.of());
    }

    private static ToolCall refund() {
        return new ToolCall("issue_refund", Map.of("customer_id", "c1", "amount", 5000, "api_key", "k"),
                Map.of("user", Map.of("id", "u1")));
    }

    private Future<Decision> waitingCall() {
        return callers.submit(() -> approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.WAIT)));
    }

    private String onlyPendingId() throws Exception {
        await().until(() -> JSON.readTree(get("/approvals").body()).size() == 1);
        return JSON.readTree(get("/approvals").body()).get(0).get("id").asText();
    }

    @Test
    void aRequestWithoutATokenIsUnauthorized() throws Exception {
        start();

        for (String path : List.of("/approvals", "/policy", "/metrics", "/nowhere")) {
            HttpResponse<String> response = get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
        }
    }

    @Test
    void aRequestWithAWrongTokenIsUnauthorized() throws Exception {
        start();

        assertThat(get("/approvals", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/approvals", TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(post("/approvals/x", "{}").statusCode()).isNotEqualTo(401);
    }

    @Test
    void withoutATokenTheServerRefusesToStartAndSaysWhy() {
        Optional<AdminServer> started = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", null),
                name -> null, approvals, policy, metrics, diagnostics::add);

        assertThat(started).isEmpty();
        assertThat(diagnostics).singleElement().asString().contains("ADMIN_TOKEN").contains("not set");
    }

    @Test
    void listensOnLoopbackWhenNoHostIsGiven() {
        assertThat(AdminServer.parseListen("9464").getAddress().isLoopbackAddress()).isTrue();
        assertThat(AdminServer.parseListen(":9464").getAddress().isLoopbackAddress()).isTrue();
        assertThat(AdminServer.parseListen("[::1]:9464").getPort()).isEqualTo(9464);
    }

    @Test
    void itsThreadsNeverKeepTheApplicationAlive() {
        start();

        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().startsWith("HTTP-Dispatcher") || t.getName().startsWith("toolguard-admin"))
                .isNotEmpty()
                .allMatch(Thread::isDaemon);
    }

    @Test
    void getApprovalsListsPendingRequestsWithSecretsRedacted() throws Exception {
        start();
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));

        HttpResponse<String> response = get("/approvals");
        JsonNode first = JSON.readTree(response.body()).get(0);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(first.get("tool").asText()).isEqualTo("issue_refund");
        assertThat(first.get("user").asText()).isEqualTo("u1");
        assertThat(first.get("status").asText()).isEqualTo("pending");
        assertThat(first.get("args").get("amount").asInt()).isEqualTo(5000);
        assertThat(first.get("args").get("api_key").asText()).isEqualTo("[REDACTED]");
    }

    @Test
    void aWaitingCallIsReleasedByAnHttpApproval() throws Exception {
        start();
        Future<Decision> call = waitingCall();
        String id = onlyPendingId();

        HttpResponse<String> response = post("/approvals/" + id,
                "{\"decision\":\"approve\",\"by\":\"alice\",\"reason\":\"ok by phone\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("status").asText()).isEqualTo("approved");
        await().until(call::isDone);
        assertThat(call.get().action()).isEqualTo(Action.ALLOW);
        assertThat(call.get().reason()).contains("alice");
    }

    @Test
    void aWaitingCallRejectedOverHttpIsDenied() throws Exception {
        start();
        Future<Decision> call = waitingCall();
        String id = onlyPendingId();

        post("/approvals/" + id, "{\"decision\":\"reject\",\"by\":\"bob\",\"reason\":\"not this customer\"}");

        await().until(call::isDone);
        assertThat(call.get().action()).isEqualTo(Action.DENY);
        assertThat(call.get().reason()).isEqualTo("approval " + id + " was rejected by bob: not this customer");
    }

    @Test
    void aWaitingCallNobodyDecidesGetsOnTimeout() throws Exception {
        start();
        Future<Decision> call = waitingCall();
        String id = onlyPendingId();

        now.updateAndGet(t -> t.plus(Duration.ofMinutes(10)));

        await().until(call::isDone);
        assertThat(call.get().action()).isEqualTo(Action.DENY);
        assertThat(call.get().reason()).contains("timed out");
        assertThat(JSON.readTree(get("/approvals").body())).isEmpty();
        assertThat(post("/approvals/" + id, "{\"decision\":\"approve\",\"by\":\"late\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void decidingAnUnknownApprovalIsNotFound() throws Exception {
        start();

        assertThat(post("/approvals/apr_nope", "{\"decision\":\"approve\",\"by\":\"alice\"}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void decidingTwiceIsAConflict() throws Exception {
        start();
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));
        String id = onlyPendingId();
        post("/approvals/" + id, "{\"decision\":\"approve\",\"by\":\"alice\"}");

        HttpResponse<String> again = post("/approvals/" + id, "{\"decision\":\"reject\",\"by\":\"bob\"}");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).get("error").asText()).contains("already approved");
    }

    @Test
    void aBadDecisionBodyIsABadRequest() throws Exception {
        start();
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));
        String id = onlyPendingId();

        for (String body : List.of("not json", "[]", "{\"decision\":\"maybe\",\"by\":\"a\"}",
                "{\"decision\":\"approve\"}", "{\"decision\":\"approve\",\"by\":\"a\",\"extra\":1}")) {
            assertThat(post("/approvals/" + id, body).statusCode()).as(body).isEqualTo(400);
        }
        assertThat(JSON.readTree(get("/approvals").body())).hasSize(1);
    }

    @Test
    void getPolicyReportsTheLoadedBundleAndTheLastError() throws Exception {
        start();

        JsonNode body = JSON.readTree(get("/policy").body());

        assertThat(body.get("name").asText()).isEqualTo("support-agent");
        assertThat(body.get("version").asText()).isEqualTo("2026-11-21.1");
        assertThat(body.get("sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(body.get("sources").get(0).asText()).isEqualTo("policies/");
        assertThat(body.get("last_error").asText()).contains("unknown key 'acton'");
    }

    @Test
    void getMetricsServesStrictPrometheusText() throws Exception {
        start();
        metrics.decided("issue_refund", Action.DENY, 12_000);
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));

        HttpResponse<String> response = get("/metrics");
        Map<String, PrometheusText.Family> families = PrometheusText.parse(response.body());

        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        assertThat(families).containsKeys("toolguard_decisions_total", "toolguard_decision_latency_seconds",
                "toolguard_policy_reloads_total", "toolguard_internal_errors_total", "toolguard_approvals_pending");
        assertThat(families.get("toolguard_approvals_pending").samples().get(0).value()).isEqualTo(1);
    }

    @Test
    void aWrongMethodIsNotAllowed() throws Exception {
        start();

        HttpResponse<String> response = post("/policy", "{}");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }
}
