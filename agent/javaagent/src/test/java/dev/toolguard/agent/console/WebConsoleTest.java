package dev.toolguard.agent.console;

import dev.toolguard.agent.admin.AdminLimits;
import dev.toolguard.agent.admin.AdminRole;
import dev.toolguard.agent.admin.AdminServer;
import dev.toolguard.agent.admin.Metrics;
import dev.toolguard.agent.admin.PolicyStatus;
import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.approval.ApprovedCallAdmission;
import dev.toolguard.policy.audit.AuditRecord;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ApprovalSpec;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's security model over real HTTP on the admin server (SPEC §16): sign-in with a personal token, the
 * session cookie's flags, CSRF tokens on every POST, roles, who decides, log-out, and the static files it serves.
 * The browser tests (integration-tests, ConsoleBrowserIT) cover the same in Chromium against a running app.
 */
class WebConsoleTest {

    private static final String ALICE = "alice-approver-token";
    private static final String VERA = "vera-viewer-token";
    private static final String OLIVE = "olive-token-from-a-file";
    private static final String SECRET = "sk-planted-9f8e7d6c5b4a";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    private final List<AuditRecord> audit = new CopyOnWriteArrayList<>();
    private final ApprovalService approvals = ApprovalService.builder(audit::add, ApprovedCallAdmission.NO_LIMITS)
            .pollInterval(Duration.ofMillis(20)).build();
    private final PolicyStatus policy = () -> new PolicyStatus.Snapshot("support-agent", "v1", "ab".repeat(32),
            List.of("policies/"), null);
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private AdminServer server;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @BeforeEach
    void start() throws Exception {
        java.nio.file.Path oliveToken = dir.resolve("olive.token");
        java.nio.file.Files.writeString(oliveToken, OLIVE + "\n");
        server = AdminServer.start(new AdminServer.Settings("127.0.0.1:0", "NO_SUCH_VARIABLE", List.of(
                        new AdminServer.User("alice", "TG_ALICE", AdminRole.APPROVER),
                        new AdminServer.User("vera", "TG_VERA", AdminRole.VIEWER),
                        new AdminServer.User("olive", null, oliveToken, AdminRole.ADMIN)), AdminLimits.DEFAULT,
                        Redaction.DEFAULT),
                Map.of("TG_ALICE", ALICE, "TG_VERA", VERA)::get, approvals, policy, new Metrics(), m -> { })
                .orElseThrow();
        server.serveConsole(host -> new WebConsole(host, new WebConsole.Wiring(approvals, policy, new PolicyTexts(1 << 20),
                new Metrics(), null, Redaction.DEFAULT, new WebConsole.ApprovalContext() {
                    @Override
                    public String ruleReason(String tool, String rule) {
                        return "refunds over 2000 need a manager";
                    }

                    @Override
                    public String policyVersion(String p) {
                        return "v1";
                    }
                }, null)));
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        server.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    }

    private HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path)).GET();
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String cookie, Map<String, String> form, String... headers)
            throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpRequest.Builder r = HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in and returns the session cookie ({@code name=value}). */
    private String signIn(String token) throws Exception {
        HttpResponse<String> r = post("/console/login", null, Map.of("token", token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return r.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
    }

    private String csrfOf(String cookie) throws Exception {
        Matcher m = CSRF.matcher(get("/console/approvals", cookie).body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private Future<Decision> waitingCall() {
        return callers.submit(() -> approvals.resolve("call-1", new ToolCall("issue_refund",
                        Map.of("customer_id", "c1", "amount", 5000, "api_key", SECRET),
                        Map.of("user", Map.of("id", "u1"), "tenant", "acme", "session", Map.of("id", "s-42"))),
                new Decision(Action.REQUIRE_APPROVAL, true, "refunds over 2000 need a manager",
                        "tools.issue_refund.rules[2]", null, "support-agent", "v1", "ab".repeat(32), 900,
                        new ApprovalSpec(Duration.ofMinutes(10), Action.DENY, ApprovalSpec.Mode.WAIT), List.of())));
    }

    private String onlyPendingId() {
        await().until(() -> approvals.pending().size() == 1);
        return approvals.pending().get(0).id();
    }

    @Test
    void signingInSetsAnHttpOnlySameSiteStrictCookieSecureOnlyBehindTls() throws Exception {
        HttpResponse<String> plain = post("/console/login", null, Map.of("token", ALICE));
        HttpResponse<String> tls = post("/console/login", null, Map.of("token", ALICE), "X-Forwarded-Proto", "https");

        String cookie = plain.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("toolguard_session=").contains("; HttpOnly").contains("; SameSite=Strict")
                .contains("; Path=/").doesNotContain("Secure");
        assertThat(tls.headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
        assertThat(plain.headers().firstValue("Location")).contains("/console/overview");
    }

    @Test
    void aUserWhoseTokenIsInAFileSignsInWithIt() throws Exception {
        String olive = signIn(OLIVE);

        assertThat(get("/console/approvals", olive).body()).contains("olive (admin)");
    }

    @Test
    void aSignInFromTheConsolesOwnPageSignsInWhateverOriginTheBrowserStates() throws Exception {
        String port = String.valueOf(server.address().getPort());

        // Chromium states "null" when a referrer policy withholds the origin, the page's own origin otherwise
        assertThat(post("/console/login", null, Map.of("token", ALICE), "Origin", "null").statusCode()).isEqualTo(303);
        assertThat(post("/console/login", null, Map.of("token", ALICE), "Origin", "http://127.0.0.1:" + port)
                .statusCode()).isEqualTo(303);
        assertThat(post("/console/login", null, Map.of("token", ALICE), "Origin", "https://evil.example")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void aWrongTokenSignsNobodyIn() throws Exception {
        HttpResponse<String> r = post("/console/login", null, Map.of("token", "not-anyones-token-at-all"));

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(r.body()).doesNotContain("not-anyones-token-at-all");
    }

    @Test
    void withoutASessionPagesSendToSignInAndEverythingElseIsUnauthorized() throws Exception {
        assertThat(get("/", null).headers().firstValue("Location")).contains("/console/login");
        assertThat(get("/console/approvals", null).statusCode()).isEqualTo(303);
        assertThat(get("/console/overview/data", null).statusCode()).isEqualTo(401);
        assertThat(get("/console/approvals", "toolguard_session=forged").statusCode()).isEqualTo(303);
        // the JSON API keeps asking for a bearer token
        assertThat(get("/approvals", signIn(ALICE)).statusCode()).isEqualTo(401);
    }

    @Test
    void anApproverDecidesWithTheCsrfTokenAndIsRecordedAsTheSessionsUser() throws Exception {
        Future<Decision> call = waitingCall();
        String id = onlyPendingId();
        String alice = signIn(ALICE);

        HttpResponse<String> page = get("/console/approvals", alice);
        assertThat(page.body()).contains("issue_refund").contains("&quot;customer_id&quot; : &quot;c1&quot;")
                .contains("u1").contains("acme").contains("s-42").contains("refunds over 2000 need a manager")
                .contains("Approve").doesNotContain(SECRET);
        HttpResponse<String> decided = post("/console/approvals/" + id, alice,
                Map.of("decision", "approve", "reason", "checked", "csrf", csrfOf(alice)));

        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(303);
        await().until(call::isDone);
        assertThat(call.get().action()).isEqualTo(Action.ALLOW);
        assertThat(approvals.find(id).orElseThrow().decidedBy()).isEqualTo("alice");
    }

    @Test
    void aPostWithoutTheCsrfTokenOrFromAnotherOriginIsRefused() throws Exception {
        waitingCall();
        String id = onlyPendingId();
        String alice = signIn(ALICE);
        String csrf = csrfOf(alice);

        HttpResponse<String> none = post("/console/approvals/" + id, alice, Map.of("decision", "approve"));
        HttpResponse<String> wrong = post("/console/approvals/" + id, alice, Map.of("decision", "approve", "csrf", "x"));
        HttpResponse<String> elsewhere = post("/console/approvals/" + id, alice, Map.of("decision", "approve", "csrf", csrf),
                "Origin", "https://evil.example");

        assertThat(none.statusCode()).isEqualTo(403);
        assertThat(none.body()).contains("CSRF");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(approvals.find(id).orElseThrow().pending()).isTrue();
    }

    @Test
    void aViewerSeesNoButtonAndAForgedPostIsRefused() throws Exception {
        waitingCall();
        String id = onlyPendingId();
        String vera = signIn(VERA);

        String page = get("/console/approvals", vera).body();
        HttpResponse<String> forged = post("/console/approvals/" + id, vera,
                Map.of("decision", "approve", "csrf", csrfOf(vera)));

        assertThat(page).contains("issue_refund").doesNotContain("value=\"approve\"").contains("a viewer");
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("user vera is a viewer");
        assertThat(approvals.find(id).orElseThrow().pending()).isTrue();
    }

    @Test
    void aByThatNamesSomeoneElseIsRefused() throws Exception {
        waitingCall();
        String id = onlyPendingId();
        String alice = signIn(ALICE);

        HttpResponse<String> r = post("/console/approvals/" + id, alice,
                Map.of("decision", "approve", "by", "bob", "csrf", csrfOf(alice)));

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("&quot;by&quot; names bob but you are signed in as alice");
        assertThat(approvals.find(id).orElseThrow().pending()).isTrue();
    }

    @Test
    void loggingOutEndsTheSession() throws Exception {
        String alice = signIn(ALICE);
        String csrf = csrfOf(alice);

        HttpResponse<String> out = post("/console/logout", alice, Map.of("csrf", csrf));

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(get("/console/approvals", alice).statusCode()).isEqualTo(303);
        assertThat(get("/console/overview/data", alice).statusCode()).isEqualTo(401);
    }

    @Test
    void everyStaticFileIsServedFromTheJarAndNothingElse() throws Exception {
        for (String name : List.of("htmx.min.js", "sse.js", "uPlot.iife.min.js", "uPlot.min.css", "console.css", "console.js")) {
            HttpResponse<String> r = get("/console/static/" + name, null);
            assertThat(r.statusCode()).as(name).isEqualTo(200);
            assertThat(r.body()).as(name).isNotEmpty();
        }
        assertThat(get("/console/static/../../../etc/passwd", null).statusCode()).isEqualTo(404);
        assertThat(get("/console/static/WebConsole.class", null).statusCode()).isEqualTo(404);
    }

    @Test
    void pagesForbidFramingAndInlineScripts() throws Exception {
        HttpResponse<String> r = get("/console/overview", signIn(ALICE));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'").contains("frame-ancestors 'none'");
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.body()).doesNotContain("<script>");
    }
}
