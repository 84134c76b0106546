package dev.toolguard.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** approve / reject against a stub of the admin API that records what it was sent (SPEC §12). */
class ApprovalCommandTest {

    record Received(String method, String path, String authorization, String contentType, Map<String, Object> body) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile int status = 200;
    private HttpServer server;
    private String admin;

    @BeforeEach
    void startAdminStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/approvals/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            @SuppressWarnings("unchecked")
            Map<String, Object> json = body.length == 0 ? Map.of() : new ObjectMapper().readValue(body, Map.class);
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), json));
            byte[] answer = status == 200 ? "{\"status\":\"approved\"}".getBytes(StandardCharsets.UTF_8)
                    : "{\"error\":\"not pending\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        admin = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopAdminStub() {
        server.stop(0);
    }

    private Received request() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the admin API").isNotNull();
        return r;
    }

    @Test
    void approvePostsTheDecisionWithTheBearerTokenAndExits0() throws InterruptedException {
        CliRun run = CliRun.of("approve", "ap-1", "--admin", admin, "--token", "s3cret", "--by", "alice", "--reason", "customer verified");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("approved ap-1\n");
        Received r = request();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/approvals/ap-1");
        assertThat(r.authorization()).isEqualTo("Bearer s3cret");
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo(Map.of("decision", "approve", "by", "alice", "reason", "customer verified"));
    }

    @Test
    void rejectPostsARejection() throws InterruptedException {
        CliRun run = CliRun.of("reject", "ap-2", "--admin", admin + "/", "--token", "s3cret", "--by", "bob", "--reason", "no");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("rejected ap-2\n");
        Received r = request();
        assertThat(r.path()).isEqualTo("/approvals/ap-2");
        assertThat(r.body()).containsEntry("decision", "reject").containsEntry("by", "bob").containsEntry("reason", "no");
    }

    @Test
    void theTokenComesFromTheEnvironmentWhenNotGiven() throws InterruptedException {
        CliRun run = CliRun.withEnv(Map.of("TOOLGUARD_ADMIN_TOKEN", "from-env"), "approve", "ap-3", "--admin", admin);

        assertThat(run.exitCode()).isZero();
        assertThat(request().authorization()).isEqualTo("Bearer from-env");
    }

    @Test
    void withoutByTheBodyLeavesTheDeciderToTheTokensUser() throws InterruptedException {
        CliRun.of("approve", "ap-4", "--admin", admin, "--token", "t");

        Map<String, Object> body = request().body();
        assertThat(body).containsEntry("decision", "approve").containsKey("reason").doesNotContainKey("by");
    }

    @Test
    void aByTheAgentRefusesExits1SayingWhy() {
        status = 403;

        CliRun run = CliRun.of("approve", "ap-1", "--admin", admin, "--token", "t", "--by", "mallory");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refused: HTTP 403", "--by names someone else");
    }

    @Test
    void anIdIsSentAsOnePathSegment() throws InterruptedException {
        CliRun.of("approve", "a/b c", "--admin", admin, "--token", "t");

        assertThat(request().path()).isEqualTo("/approvals/a%2Fb%20c");
    }

    @Test
    void aRejectedTokenExits1() {
        status = 401;

        CliRun run = CliRun.of("approve", "ap-1", "--admin", admin, "--token", "wrong");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refused: HTTP 401");
    }

    @Test
    void anUnknownApprovalExits1() {
        status = 404;

        CliRun run = CliRun.of("approve", "ap-404", "--admin", admin, "--token", "t");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refused: HTTP 404", "no pending approval with this id");
    }

    @Test
    void anAlreadyDecidedApprovalExits1() {
        status = 409;

        CliRun run = CliRun.of("reject", "ap-1", "--admin", admin, "--token", "t");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("refused: HTTP 409", "not pending");
    }

    @Test
    void anUnreachableAdminApiExits2() {
        server.stop(0);

        CliRun run = CliRun.of("approve", "ap-1", "--admin", admin, "--token", "t");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot reach admin API");
    }

    @Test
    void noTokenAtAllExits2BeforeSendingAnything() {
        CliRun run = CliRun.of("approve", "ap-1", "--admin", admin);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no admin token", "TOOLGUARD_ADMIN_TOKEN");
        assertThat(received).isEmpty();
    }

    @Test
    void aMissingAdminUrlExits2() {
        CliRun run = CliRun.of("approve", "ap-1", "--token", "t");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing option '--admin'");
    }

    @Test
    void anAdminUrlThatIsNotHttpExits2() {
        CliRun run = CliRun.of("approve", "ap-1", "--admin", "ftp://127.0.0.1:1", "--token", "t");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--admin must be an http(s) URL");
    }

    @Test
    void aMissingIdExits2() {
        CliRun run = CliRun.of("reject", "--admin", admin, "--token", "t");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("name exactly one approval id");
    }
}
