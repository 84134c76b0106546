package dev.toolguard.agent.admin;

import dev.toolguard.policy.approval.Approval;
import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.approval.ApprovedCallAdmission;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.fuzz.Fuzz;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §12 and §13.12: the body of {@code POST /approvals/{id}} is fuzzed over real HTTP against a running
 * {@link AdminServer}. Whatever the body, the answer is a 2xx or 4xx, never a 5xx and never a connection
 * that hangs (the client gives up after a few seconds); a body that is not one unambiguous JSON object with
 * {@code "decision":"approve"|"reject"} is a 400; a well-formed decision is never a 400.
 *
 * <p>Bounded and seeded ({@link Fuzz}): 1,000 tries each from a fixed seed, fewer for the costlier ones;
 * {@code -Dtoolguard.fuzz.tries=100000} runs a longer session (docs/security.md).
 */
class ApprovalBodyFuzzTest {

    private static final String TOKEN = "fuzz-admin-token";
    /** Far above a loopback round trip, far below the build's patience: a hung connection fails the try. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(5);
    private static final String PATH_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789_-.~%";

    private static ApprovalService approvals;
    private static AdminServer server;
    private static HttpClient http;
    private static final List<String> diagnostics = new CopyOnWriteArrayList<>();
    private static final AtomicLong calls = new AtomicLong();

    @BeforeAll
    static void startServer() {
        approvals = ApprovalService.builder(record -> { }, ApprovedCallAdmission.NO_LIMITS).build();
        server = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "ADMIN_TOKEN", Redaction.DEFAULT),
                Map.of("ADMIN_TOKEN", TOKEN)::get, approvals, ApprovalBodyFuzzTest::policy, new Metrics(),
                diagnostics::add).orElseThrow();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(ANSWER_WITHIN).build();
    }

    @AfterAll
    static void stopServer() {
        server.close();
        approvals.close();
    }

    private static PolicyStatus.Snapshot policy() {
        return new PolicyStatus.Snapshot("fuzz", "1", "ab".repeat(32), List.of("p.yaml"), null);
    }

    // ---- properties ----

    private record Post(byte[] body, Target target) {
    }

    private record PostText(String body, Target target) {
    }

    private record Oversized(int size, Target target) {
    }

    @Test
    void anyBodyIsAnsweredWithA2xxOr4xx() {
        Fuzz.forAll(20261230L, f -> {
            byte[] body = body(f);
            return new Post(body, target(f));
        }, in -> assertThat(post(in.target(), in.body())).as("status for %s", shown(in.body())).isBetween(200, 499));
    }

    @Test
    void anAmbiguousOrMalformedBodyIsA400() {
        Fuzz.forAll(20261231L, f -> {
            String body = badBody(f);
            return new PostText(body, target(f));
        }, in -> assertThat(post(in.target(), in.body().getBytes(StandardCharsets.UTF_8)))
                .as("status for %s", in.body()).isEqualTo(400));
    }

    @Test
    void aWellFormedDecisionIsNeverA400() {
        Fuzz.forAll(20261232L, 300, f -> {
            String body = goodBody(f);
            return new PostText(body, target(f));
        }, in -> {
            int status = post(in.target(), in.body().getBytes(StandardCharsets.UTF_8));
            assertThat(status).as("status for %s", in.body()).isBetween(200, 499).isNotEqualTo(400);
        });
    }

    /** The body is {@code {"decision":"approve","reason":"xxx…"}} with {@code size} x's. */
    @Test
    void anOversizedBodyIsRefusedWithoutHanging() {
        Fuzz.forAll(20261233L, 20, f -> {
            int size = f.oneIn(5) ? f.pick(64 * 1024 + 1, 2_000_000) : f.between(64 * 1024 + 1, 2_000_000);
            return new Oversized(size, target(f));
        }, in -> {
            byte[] body = ("{\"decision\":\"approve\",\"reason\":\"" + "x".repeat(in.size()) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            try {
                assertThat(post(in.target(), body)).isEqualTo(413);
            } catch (HttpTimeoutException e) {
                throw new AssertionError("the server left a " + body.length + "-byte request hanging", e);
            } catch (IOException e) {
                // refused before it was read: the server may close while the client is still sending
            }
        });
    }

    // ---- HTTP ----

    /** Where a body is posted: a pending approval, one already decided, or an id nobody issued. */
    enum TargetKind { PENDING, DECIDED, UNKNOWN }

    record Target(TargetKind kind, String unknownId) {
    }

    private static int post(Target target, byte[] body) throws Exception {
        String id = switch (target.kind()) {
            case PENDING -> pendingId();
            case DECIDED -> decidedId();
            case UNKNOWN -> target.unknownId();
        };
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.address().getPort() + "/approvals/" + id))
                .timeout(ANSWER_WITHIN)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        // an HttpTimeoutException here fails the try: the server left the connection hanging
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A new approval waiting for a decision (a ticket, so that no caller thread waits on it). */
    private static String pendingId() throws Exception {
        Decision decision = new Decision(Action.REQUIRE_APPROVAL, true, "needs a person", "tools.t.rules[0]", null,
                "fuzz", "1", "ab".repeat(32), 0,
                new ApprovalSpec(Duration.ofMinutes(10), Action.DENY, ApprovalSpec.Mode.TICKET), List.of());
        long n = calls.incrementAndGet();
        approvals.resolve("call-" + n, new ToolCall("t", Map.of("n", n), Map.of("user", Map.of("id", "u1"))), decision);
        return approvals.pending().stream().filter(a -> a.callId().equals("call-" + n)).map(Approval::id)
                .findFirst().orElseThrow();
    }

    private static String decidedId() throws Exception {
        String id = pendingId();
        approvals.decide(id, false, "admin", "fuzz");
        return id;
    }

    private static String shown(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 300 ? text.substring(0, 300) + "…(" + body.length + " bytes)" : text;
    }

    // ---- generators ----

    private static Target target(Fuzz f) {
        TargetKind kind = f.pick(TargetKind.values());
        return new Target(kind, f.stringOf(PATH_ALPHABET.replace("%", ""), 1, 40));
    }

    /** Anything: random bytes, random text, JSON trees, good and bad bodies. */
    private static byte[] body(Fuzz f) {
        return f.oneOf(
                () -> f.bytes(0, 200),
                () -> f.string(0, 200).getBytes(StandardCharsets.UTF_8),
                () -> jsonValue(f).getBytes(StandardCharsets.UTF_8),
                () -> badBody(f).getBytes(StandardCharsets.UTF_8),
                () -> goodBody(f).getBytes(StandardCharsets.UTF_8));
    }

    /** What SPEC calls a bad body: not JSON, not an object, ambiguous, or without a valid decision. */
    private static String badBody(Fuzz f) {
        return f.oneOf(
                // not JSON at all, or cut short
                () -> f.pick("", " ", "approve", "{", "}", "{\"decision\"", "{\"decision\":", "{'decision':'approve'}",
                        "{decision: approve}", "\u0000", "{\"decision\":\"approve\",}", "[", "nul", "\"approve"),
                () -> {
                    String g = goodBody(f).strip();
                    return g.substring(0, g.length() - 1);
                },
                // JSON, but not an object
                () -> f.pick("null", "true", "0", "-1.5e300", "\"approve\"", "[]", "[{\"decision\":\"approve\"}]"),
                // ambiguous: a duplicate key, or anything after the object
                () -> goodBody(f).replaceFirst("\\{", "{\"decision\":\"reject\","),
                () -> goodBody(f) + f.pick("{}", "x", "1", "[]", "\"\"", "{\"decision\":\"reject\"}", "null"),
                // no valid decision
                () -> "{\"decision\":" + f.pick("\"approved\"", "\"APPROVE\"", "\" approve\"", "\"\"", "null", "true",
                        "1", "[\"approve\"]", "{\"a\":1}") + f.pick("", ",\"by\":\"admin\"") + "}",
                () -> f.pick("{}", "{\"by\":\"admin\"}", "{\"reason\":\"r\"}"));
    }

    /** A well-formed decision: {@code by} names the token's user or is left out. */
    private static String goodBody(Fuzz f) {
        String decision = f.pick("approve", "reject");
        String by = f.pick("", ",\"by\":\"admin\"");
        String why = f.oneOf(() -> "", () -> ",\"reason\":" + jsonString(f.string(0, 40)), () -> ",\"reason\":null");
        String space = f.pick("", " ", "\n", "\t ");
        return space + "{" + space + "\"decision\":" + space + "\"" + decision + "\"" + by + why + space + "}" + space;
    }

    /** Any JSON value, 3 levels deep at most, keys mostly the ones a decision has. */
    private static String jsonValue(Fuzz f) {
        return f.nested(3, () -> jsonScalar(f), inner -> switch (f.between(0, 3)) {
            case 0 -> jsonScalar(f);
            case 3 -> "[" + String.join(",", f.listOf(0, 4, inner)) + "]";
            default -> "{" + String.join(",", f.listOf(0, 4, () -> jsonKey(f) + ":" + inner.get())) + "}";
        });
    }

    private static String jsonScalar(Fuzz f) {
        return f.bool()
                ? f.pick("null", "true", "false", "0", "-0", "1e999", "123456789012345678901234567890", "\"approve\"",
                        "\"reject\"", "\"admin\"", "\"\\ud800\"", "\"\\u0000\"")
                : jsonString(f.string(0, 20));
    }

    private static String jsonKey(Fuzz f) {
        return jsonString(f.bool() ? f.pick("decision", "by", "reason", "Decision", "") : f.string(0, 6));
    }

    private static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
