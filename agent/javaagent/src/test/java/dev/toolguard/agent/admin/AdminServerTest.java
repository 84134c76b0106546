package dev.toolguard.agent.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.approval.ApprovedCallAdmission;
import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.audit.AuditRecord;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    private static final String ALICE = "alice-approver-token";
    private static final String BOB = "bob-approver-token";
    private static final String VERA = "vera-viewer-token";
    private static final Map<String, String> ENV = Map.of("ADMIN_TOKEN", TOKEN, "TG_ALICE", ALICE, "TG_BOB", BOB,
            "TG_VERA", VERA);
    private static final List<AdminServer.User> USERS = List.of(
            new AdminServer.User("alice", "TG_ALICE", AdminRole.APPROVER),
            new AdminServer.User("bob", "TG_BOB", AdminRole.APPROVER),
            new AdminServer.User("vera", "TG_VERA", AdminRole.VIEWER));
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
            "ab".repeat(32), List.of("policies/"), "policies/b.yaml:3:5: unknown key 'acton'",
            List.of("policies/a.yaml:4:8: warning: the tools key 'crm.*' is a glob [glob-tool-key]"), null, null);
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
        return start(AdminLimits.DEFAULT);
    }

    private AdminServer start(AdminLimits limits) {
        server = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", USERS, limits, Redaction.DEFAULT),
                ENV::get, approvals, policy, metrics, diagnostics::add).orElseThrow();
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

    /** Posts as alice, an approver. */
    private HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, ALICE);
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
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

        post("/approvals/" + id, "{\"decision\":\"reject\",\"by\":\"bob\",\"reason\":\"not this customer\"}", BOB);

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
        assertThat(post("/approvals/" + id, "{\"decision\":\"approve\",\"by\":\"alice\"}").statusCode()).isEqualTo(409);
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

        HttpResponse<String> again = post("/approvals/" + id, "{\"decision\":\"reject\",\"by\":\"bob\"}", BOB);

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).get("error").asText()).contains("already approved");
    }

    @Test
    void aBadDecisionBodyIsABadRequest() throws Exception {
        start();
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));
        String id = onlyPendingId();

        for (String body : List.of("not json", "[]", "{\"decision\":\"maybe\",\"by\":\"a\"}",
                "{\"by\":\"alice\"}", "{\"decision\":\"approve\",\"by\":\"alice\",\"extra\":1}",
                "{\"decision\":\"approve\",\"by\":7}")) {
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
        assertThat(body.get("warnings")).hasSize(1);
        assertThat(body.get("warnings").get(0).asText())
                .isEqualTo("policies/a.yaml:4:8: warning: the tools key 'crm.*' is a glob [glob-tool-key]");
    }

    @Test
    void getToolsListsEveryGuardedMethodWithItsModuleAndDecidingEntry_toAViewer() throws Exception {
        start().serveTools(() -> List.of(
                new GuardedTools.Tool("issue_refund", "com.acme.Tools#issueRefund(String,double)", "guarded-tool",
                        "tools.issue_refund", null),
                new GuardedTools.Tool("crm.read_account", "com.acme.CrmClient#readAccount(String)", "rules",
                        "default", "deny")));

        HttpResponse<String> response = get("/tools", VERA);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("guarded").asInt()).isEqualTo(2);
        assertThat(body.get("tools").get(0).toString()).isEqualTo("{\"tool\":\"issue_refund\",\"method\":"
                + "\"com.acme.Tools#issueRefund(String,double)\",\"module\":\"guarded-tool\",\"entry\":\"tools.issue_refund\"}");
        assertThat(body.get("tools").get(1).toString()).isEqualTo("{\"tool\":\"crm.read_account\",\"method\":"
                + "\"com.acme.CrmClient#readAccount(String)\",\"module\":\"rules\",\"entry\":\"default\",\"default\":\"deny\"}");
        assertThat(get("/tools", null).statusCode()).isEqualTo(401);
        assertThat(post("/tools", "{}", TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void getToolsIsA503UntilTheAgentHandsItsToolsOver() throws Exception {
        start();

        assertThat(get("/tools").statusCode()).isEqualTo(503);
    }

    @Test
    void getPolicyShowsTheSignedRevisionAndKeyAndNullsForAnUnsignedBundle() throws Exception {
        start();
        assertThat(JSON.readTree(get("/policy").body()).get("revision").isNull()).isTrue();
        assertThat(JSON.readTree(get("/policy").body()).get("key_id").isNull()).isTrue();
        server.close();
        server = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", USERS, AdminLimits.DEFAULT,
                        Redaction.DEFAULT), ENV::get, approvals,
                () -> new PolicyStatus.Snapshot("support-agent", "1", "ab".repeat(32), List.of("https://b/x/"), null,
                        List.of(), 7L, "f0bc83dcb404fbac"), metrics, diagnostics::add).orElseThrow();

        JsonNode body = JSON.readTree(get("/policy").body());

        assertThat(body.get("revision").asLong()).isEqualTo(7);
        assertThat(body.get("key_id").asText()).isEqualTo("f0bc83dcb404fbac");
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

        HttpResponse<String> response = post("/policy", "{}", TOKEN);

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET");
    }

    // --- SPEC §13.12: the admin server holds ---

    private static final AdminLimits TIGHT = new AdminLimits(Duration.ofMillis(800), Duration.ofSeconds(2), 4, 256,
            AdminLimits.DEFAULT_MAX_HEADER_BYTES);

    private Socket rawConnection() throws Exception {
        Socket socket = new Socket(server.address().getAddress(), server.address().getPort());
        socket.setSoTimeout(50);
        return socket;
    }

    /** True once the server has closed {@code socket}: end of stream or a reset, after any answer it sent. */
    private static boolean closedByServer(Socket socket) {
        try {
            byte[] sink = new byte[1024];
            while (true) {
                if (socket.getInputStream().read(sink) < 0) {
                    return true;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true;
        }
    }

    private static String answerTo(Socket socket, String request) throws Exception {
        socket.setSoTimeout(5_000);
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void halfSentRequestsNeitherStallTheApiNorStayOpen() throws Exception {
        start(TIGHT);
        List<Socket> slow = new java.util.ArrayList<>();
        for (int i = 0; i < 3 * TIGHT.maxConnections(); i++) {
            Socket socket = rawConnection();
            socket.getOutputStream().write("GET /policy HTTP/1.1\r\nHost: x\r\nAuthori".getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            slow.add(socket);
        }

        await().atMost(Duration.ofSeconds(3)).until(() -> get("/policy").statusCode() == 200);
        await().atMost(TIGHT.headerTimeout().plusSeconds(3)).until(() -> slow.stream().allMatch(AdminServerTest::closedByServer));
        for (Socket socket : slow) {
            socket.close();
        }
    }

    @Test
    void aClientDrippingItsHeadersIsCutOffAtTheHeaderTimeout() throws Exception {
        start(TIGHT);
        Socket socket = rawConnection();
        socket.getOutputStream().write("GET /policy HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        java.util.concurrent.ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor();
        try {
            // a header line every 100 ms: each read is quick, the head as a whole never ends
            drip.scheduleAtFixedRate(() -> {
                try {
                    socket.getOutputStream().write("X-Slow: 1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } catch (java.io.IOException e) {
                    // closed by the server: what this test waits for
                }
            }, 0, 100, java.util.concurrent.TimeUnit.MILLISECONDS);

            await().atMost(TIGHT.headerTimeout().plusSeconds(3)).until(() -> closedByServer(socket));
        } finally {
            drip.shutdownNow();
            socket.close();
        }
        assertThat(get("/policy").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeItIsSent() throws Exception {
        start(TIGHT);
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));
        String id = onlyPendingId();

        try (Socket socket = rawConnection()) {
            String answer = answerTo(socket, "POST /approvals/" + id + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + ALICE + "\r\nContent-Length: 10000000\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 413 ").contains("request body too large");
        }
        String padded = "{\"decision\":\"approve\",\"reason\":\"" + "x".repeat(300) + "\"}";
        assertThat(post("/approvals/" + id, padded).statusCode()).isEqualTo(413);
        assertThat(approvals.find(id).orElseThrow().status().wireName()).isEqualTo("pending");
    }

    @Test
    void whenEveryConnectionIsBeingServedANewcomerGets503InsteadOfAQueue() throws Exception {
        start(new AdminLimits(Duration.ofSeconds(5), Duration.ofSeconds(5), 1, 256, AdminLimits.DEFAULT_MAX_HEADER_BYTES));
        try (Socket busy = rawConnection()) {
            busy.setSoTimeout(5_000);
            busy.getOutputStream().write(("POST /approvals/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ALICE
                    + "\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            // "100 Continue" means its head was read: the one connection is now being served, waiting for a body
            byte[] interim = busy.getInputStream().readNBytes("HTTP/1.1 100 Continue\r\n\r\n".length());
            assertThat(new String(interim, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 100 ");

            HttpResponse<String> newcomer = get("/policy");

            assertThat(newcomer.statusCode()).isEqualTo(503);
            assertThat(newcomer.body()).contains("as many connections as it may");
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> get("/policy").statusCode() == 200);
    }

    @Test
    void aChunkedBodyIsRefusedWith411() throws Exception {
        start(TIGHT);

        try (Socket socket = rawConnection()) {
            String answer = answerTo(socket, "POST /approvals/x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ALICE
                    + "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 411 ").contains("Content-Length");
        }
    }

    @Test
    void anOversizedHeadIsRefusedWith431() throws Exception {
        start(TIGHT);

        try (Socket socket = rawConnection()) {
            String answer = answerTo(socket, "GET /policy HTTP/1.1\r\nHost: x\r\nX-Big: "
                    + "y".repeat(AdminLimits.DEFAULT_MAX_HEADER_BYTES) + "\r\n\r\n");

            assertThat(answer).startsWith("HTTP/1.1 431 ");
        }
    }

    @Test
    void aDuplicateKeyIsAnAmbiguousBadRequestAndDecidesNothing() throws Exception {
        start();
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));
        String id = onlyPendingId();

        HttpResponse<String> response = post("/approvals/" + id, "{\"decision\":\"reject\",\"decision\":\"approve\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText())
                .startsWith("ambiguous JSON: duplicate key 'decision'");
        assertThat(approvals.find(id).orElseThrow().status().wireName()).isEqualTo("pending");
    }

    @Test
    void contentAfterTheObjectIsAnAmbiguousBadRequestAndDecidesNothing() throws Exception {
        start();
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));
        String id = onlyPendingId();

        HttpResponse<String> response = post("/approvals/" + id, "{\"decision\":\"approve\"} {\"decision\":\"reject\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText())
                .startsWith("ambiguous JSON: content after the JSON object");
        assertThat(approvals.find(id).orElseThrow().status().wireName()).isEqualTo("pending");
    }

    // --- SPEC §16 admin.users: who approved comes from the token ---

    @Test
    void anApprovalWithoutByIsRecordedUnderTheTokensUser() throws Exception {
        start();
        Future<Decision> call = waitingCall();
        String id = onlyPendingId();

        HttpResponse<String> response = post("/approvals/" + id, "{\"decision\":\"approve\",\"reason\":\"ok\"}", BOB);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("decided_by").asText()).isEqualTo("bob");
        await().until(call::isDone);
        assertThat(call.get().action()).isEqualTo(Action.ALLOW);
        assertThat(call.get().reason()).contains("bob");
        assertThat(audit).anySatisfy(r -> assertThat(r.toString()).contains("bob"));
    }

    @Test
    void aByThatNamesSomeoneElseIsRefusedAndDecidesNothing() throws Exception {
        start();
        Future<Decision> call = waitingCall();
        String id = onlyPendingId();

        HttpResponse<String> response = post("/approvals/" + id, "{\"decision\":\"approve\",\"by\":\"bob\"}", ALICE);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).get("error").asText())
                .contains("\"by\" names bob but the token is alice's");
        assertThat(call).isNotDone();
        assertThat(approvals.find(id).orElseThrow().status().wireName()).isEqualTo("pending");
    }

    @Test
    void aViewerMayReadButNotDecide() throws Exception {
        start();
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));
        String id = onlyPendingId();

        assertThat(get("/approvals", VERA).statusCode()).isEqualTo(200);
        assertThat(get("/policy", VERA).statusCode()).isEqualTo(200);
        HttpResponse<String> response = post("/approvals/" + id, "{\"decision\":\"approve\"}", VERA);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains("vera is a viewer").contains("approver");
        assertThat(approvals.find(id).orElseThrow().status().wireName()).isEqualTo("pending");
    }

    @Test
    void theTokenOfAdminTokenEnvIsTheUserAdmin() throws Exception {
        start();
        approvals.resolve("call-1", refund(), requireApproval(ApprovalSpec.Mode.TICKET));
        String id = onlyPendingId();

        HttpResponse<String> response = post("/approvals/" + id, "{\"decision\":\"reject\"}", TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("decided_by").asText()).isEqualTo("admin");
    }

    @Test
    void anApproverMayNotDoWhatOnlyAnAdminMay() throws Exception {
        start();

        HttpResponse<String> response = post("/policy", "{}", ALICE);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(response.body()).get("error").asText()).contains("needs the role admin");
    }

    @Test
    void aListedUserWithoutATokenKeepsTheServerFromStartingWithoutShowingAnyToken() {
        Optional<AdminServer> started = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", USERS,
                AdminLimits.DEFAULT, null), Map.of("ADMIN_TOKEN", TOKEN, "TG_ALICE", ALICE)::get, approvals, policy,
                metrics, diagnostics::add);

        assertThat(started).isEmpty();
        assertThat(diagnostics).singleElement().asString().contains("TG_BOB").contains("bob").contains("not set")
                .doesNotContain(TOKEN).doesNotContain(ALICE);
    }

    @Test
    void aTokenShorterThan16CharactersKeepsTheServerFromStartingWithoutShowingIt() {
        Optional<AdminServer> started = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN",
                null), Map.of("ADMIN_TOKEN", "abc")::get, approvals, policy, metrics,
                diagnostics::add);

        assertThat(started).isEmpty();
        assertThat(diagnostics).singleElement().asString().contains("admin API not started")
                .contains("ADMIN_TOKEN").contains("shorter than 16 characters").doesNotContain("abc");
    }

    @Test
    void aUserWhoseTokenIsShorterThan16CharactersKeepsTheServerFromStarting() {
        Optional<AdminServer> started = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", USERS,
                AdminLimits.DEFAULT, null), Map.of("TG_ALICE", ALICE, "TG_BOB", "b0b-15-chars!!!", "TG_VERA", VERA)::get,
                approvals, policy, metrics, diagnostics::add);

        assertThat(started).isEmpty();
        assertThat(diagnostics).singleElement().asString().contains("TG_BOB").contains("bob")
                .contains("shorter than 16 characters").doesNotContain("b0b-15-chars!!!");
    }

    @Test
    void twoUsersWithOneTokenKeepTheServerFromStarting() {
        Optional<AdminServer> started = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", USERS,
                AdminLimits.DEFAULT, null), Map.of("TG_ALICE", ALICE, "TG_BOB", ALICE, "TG_VERA", VERA)::get, approvals,
                policy, metrics, diagnostics::add);

        assertThat(started).isEmpty();
        assertThat(diagnostics).singleElement().asString().contains("alice and bob have the same token")
                .doesNotContain(ALICE);
    }

    @Test
    void aViewerReadsTheAuditAnchorAsTheLastHashAndRecordCountOfTheOpenLog(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(AuditConfig.toFile(file.toString()).withCheckpointEvery(Duration.ZERO),
                Map.of("agent", "test"))) {
            log.checkpoint();
            start().serveAuditAnchor(log::anchor);

            HttpResponse<String> r = get("/audit/anchor", VERA);

            List<String> lines = java.nio.file.Files.readAllLines(file);
            String lastHash = JSON.readTree(lines.get(1)).path("hash").asText();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(r.body()).isEqualTo("{\"hash\":\"" + lastHash + "\",\"count\":2}");
        }
    }

    @Test
    void theAuditAnchorNeedsTheBearerToken() throws Exception {
        start().serveAuditAnchor(() -> new dev.toolguard.policy.audit.AuditAnchor(AuditLog.GENESIS, 0));

        assertThat(get("/audit/anchor", null).statusCode()).isEqualTo(401);
        assertThat(get("/audit/anchor", "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void withoutAnOpenAuditLogTheAnchorIsUnavailable() throws Exception {
        start();

        HttpResponse<String> r = get("/audit/anchor");

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("the audit log is not open");
    }

    @Test
    void approvalsInASharedStoreThatDoesNotAnswerAre503AndTheMetricsLeaveTheirCountOut() throws Exception {
        dev.toolguard.policy.approval.ApprovalStore down = (dev.toolguard.policy.approval.ApprovalStore)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {dev.toolguard.policy.approval.ApprovalStore.class}, (proxy, method, args) -> {
                            if (method.isDefault()) {
                                return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                            }
                            throw new dev.toolguard.policy.approval.ApprovalStoreUnavailableException(
                                    "the shared state store does not answer", null);
                        });
        ApprovalService shared = ApprovalService.builder(audit::add, ApprovedCallAdmission.NO_LIMITS).store(down).build();
        server = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", USERS, AdminLimits.DEFAULT,
                Redaction.DEFAULT), ENV::get, shared, policy, metrics, diagnostics::add).orElseThrow();

        HttpResponse<String> listing = get("/approvals");
        HttpResponse<String> one = get("/approvals/apr_0123456789abcdef");
        HttpResponse<String> decided = post("/approvals/apr_0123456789abcdef", "{\"decision\":\"approve\"}");
        HttpResponse<String> scraped = get("/metrics");

        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(503);
        assertThat(listing.body()).contains("the shared state store does not answer");
        assertThat(one.statusCode()).as(one.body()).isEqualTo(503);
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(503);
        assertThat(decided.body()).contains("was not decided", "try again");
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).doesNotContain("\ntoolguard_approvals_pending ");
        assertThat(audit).isEmpty();
    }
}
