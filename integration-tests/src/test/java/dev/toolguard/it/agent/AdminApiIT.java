package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §12 against a running app: the bearer token guards every path; the policy and Prometheus metrics. */
class AdminApiIT {


    @TempDir
    static Path dir;
    static ApprovalDesk desk;
    static Scenario scenario;
    static AgentProcess app;
    static AdminClient admin;

    @BeforeAll
    static void startTheAppAndMakeTwoCalls() throws Exception {
        desk = ApprovalDesk.start(dir);
        scenario = desk.scenario;
        app = desk.app;
        admin = desk.admin;
        app.send("a1 wait_refund c-a 50");
        app.send("a2 close_account c-a 0");
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().stream().filter(l -> l.startsWith("call a")).count() == 2);
    }

    @AfterAll
    static void stopTheApp() throws Exception {
        desk.close();
    }

    @Test
    void theStartLineNamesTheLoopbackAddressTheAdminApiIsBoundTo() {
        assertThat(admin.base).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(app.stderrLines()).singleElement().asString()
                .contains("; mode enforce; ").endsWith("; admin API on " + admin.base);
    }

    @Test
    void everyPathRefusesARequestWithoutATokenWith401() throws Exception {
        for (String path : List.of("/approvals", "/policy", "/metrics", "/nowhere")) {
            HttpResponse<String> r = admin.getWithAuthorization(path, null);

            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(AdminClient.parse(r.body()).path("error").asText()).isEqualTo("missing or wrong bearer token");
        }
    }

    @Test
    void everyPathRefusesAWrongTokenWith401() throws Exception {
        for (String authorization : List.of("Bearer " + desk.token + "x", "Bearer ", "Basic " + desk.token, desk.token)) {
            for (String path : List.of("/approvals", "/policy", "/metrics")) {
                assertThat(admin.getWithAuthorization(path, authorization).statusCode()).as(authorization + " " + path)
                        .isEqualTo(401);
            }
        }
    }

    @Test
    void getMetricsServesPrometheusTextCountingTheAppsDecisions() throws Exception {
        HttpResponse<String> r = admin.get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
        Map<String, Double> metrics = PrometheusText.parse(r.body());
        assertThat(metrics).containsKeys("# TYPE toolguard_decisions_total", "# TYPE toolguard_decision_latency_seconds",
                "# TYPE toolguard_policy_reloads_total", "# TYPE toolguard_internal_errors_total",
                "# TYPE toolguard_approvals_pending");
        assertThat(metrics).containsEntry("toolguard_decisions_total{tool=\"wait_refund\",action=\"allow\"}", 1.0)
                .containsEntry("toolguard_decisions_total{tool=\"wait_refund\",action=\"deny\"}", 0.0)
                .containsEntry("toolguard_decisions_total{tool=\"close_account\",action=\"deny\"}", 1.0)
                .containsEntry("toolguard_decision_latency_seconds_count", 2.0)
                .containsEntry("toolguard_policy_reloads_total{result=\"ok\"}", 0.0)
                .containsEntry("toolguard_policy_reloads_total{result=\"failed\"}", 0.0)
                .containsEntry("toolguard_internal_errors_total", 0.0);
        assertThat(metrics.get("toolguard_decision_latency_seconds_sum")).isPositive();
    }

    @Test
    void getPolicyShowsTheLoadedBundleItsSha256AndItsSources() throws Exception {
        JsonNode policy = admin.json("/policy");

        JsonNode loaded = AuditFile.ofType(scenario.audit(), "policy").get(0);
        assertThat(policy.path("name").asText()).isEqualTo("approvals");
        assertThat(policy.path("version").asText()).isEqualTo("it-1");
        assertThat(policy.path("sha256").asText()).matches("[0-9a-f]{64}").isEqualTo(loaded.path("sha256").asText());
        assertThat(policy.path("sources")).hasSize(1);
        assertThat(policy.path("sources").get(0).asText()).isEqualTo(scenario.file("policies").toString());
        assertThat(policy.path("last_error").isNull()).isTrue();
    }

    @Test
    void theApprovalsPendingGaugeCountsAWaitingCall() throws Exception {
        app.send("p1 wait_refund c-p 5000");
        admin.awaitPending("c-p");

        Map<String, Double> metrics = PrometheusText.parse(admin.get("/metrics").body());

        assertThat(metrics).containsEntry("toolguard_approvals_pending", 1.0);
    }

    /** True once the agent has closed {@code socket}: end of stream or a reset, after any answer it sent. */
    private static boolean closedByTheAgent(Socket socket) {
        try {
            socket.setSoTimeout(50);
            byte[] sink = new byte[1024];
            while (true) {
                if (socket.getInputStream().read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void halfSentRequestsNeitherStallTheAdminApiNorStayOpen() throws Exception {
        URI base = URI.create(admin.base);
        List<Socket> halfOpen = new ArrayList<>();
        try {
            // more than the default 16 connections, each stopping in the middle of its headers
            for (int i = 0; i < 40; i++) {
                Socket socket = new Socket(base.getHost(), base.getPort());
                socket.getOutputStream().write("GET /policy HTTP/1.1\r\nHost: x\r\nAuthorization: Bea"
                        .getBytes(StandardCharsets.ISO_8859_1));
                halfOpen.add(socket);
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("/policy").statusCode() == 200);
            // the default header timeout is 5s
            await().atMost(Duration.ofSeconds(15)).until(() -> halfOpen.stream().allMatch(AdminApiIT::closedByTheAgent));
        } finally {
            for (Socket socket : halfOpen) {
                socket.close();
            }
        }
    }
}
