package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.ConsoleDeskApp;
import dev.toolguard.it.browser.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The web console (SPEC §16) in a real headless Chromium against an app running under the shaded agent: issue 13's
 * acceptance 1 and 2. One app and one browser serve every test (each test signs in as whom it needs, and makes calls
 * of its own). The tests also save the screenshots docs/console.md shows (into target/screenshots, or the directory
 * {@code toolguard.it.screenshots} names, e.g. {@code ../docs/images/console}). Skipped without chromium.
 */
class ConsoleBrowserIT {

    private static final String SECRET_API_KEY = "sk_live_" + UUID.randomUUID().toString().replace("-", "");
    private static final String SECRET_PASSWORD = "pw-" + UUID.randomUUID();
    private static final String SECRET_CTX_TOKEN = "tok-" + UUID.randomUUID();
    private static final List<String> SECRETS = List.of(SECRET_API_KEY, SECRET_PASSWORD, SECRET_CTX_TOKEN);
    private static final Duration PAGE_LOAD = Duration.ofSeconds(30);
    private static final Path SHOTS = Path.of(System.getProperty("toolguard.it.screenshots", "target/screenshots"));

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;
    static AdminClient admin;
    static Browser browser;
    static ChromeDriver page;
    static final Map<String, String> tokens = Map.of("alice", UUID.randomUUID().toString(),
            "vera", UUID.randomUUID().toString());
    static final String adminToken = UUID.randomUUID().toString();
    /** Why this class does not run here, or null. */
    static String skipped;

    @BeforeAll
    static void startTheAppAndTheBrowser() throws Exception {
        // once, in the JDK 17 pass: the console is the same bytes on every JVM (AdminApiIT serves the admin API on
        // both), and a second browser pass would cost as much again
        String java = System.getProperty("toolguard.it.java");
        if (java != null && !java.isBlank() && !Path.of(java).equals(AgentProcess.JAVA_17)) {
            skipped = "the browser tests run in the JDK 17 pass only";
            return;
        }
        if (!Browser.available()) {
            skipped = "no " + Browser.CHROMIUM + " and " + Browser.CHROMEDRIVER
                    + " on this machine (apt-get install chromium chromium-driver; .ci/run does)";
            return;
        }
        scenario = new Scenario(dir);
        scenario.policy("console-desk.yaml");
        Path config = scenario.config("""
                admin:
                  listen: 127.0.0.1:0
                  read_timeout: 3s
                  users:
                    - {name: alice, token_env: TG_ALICE, role: approver}
                    - {name: vera, token_env: TG_VERA, role: viewer}
                """);
        app = scenario.app().agentOptions("config=" + config).env("TOOLGUARD_ADMIN_TOKEN", adminToken)
                .env("TG_ALICE", tokens.get("alice")).env("TG_VERA", tokens.get("vera"))
                .main(ConsoleDeskApp.class, SECRET_CTX_TOKEN).start();
        browser = Browser.start(); // while the app starts
        page = browser.driver();
        admin = AdminClient.of(app, adminToken);
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));
    }

    /** Each test is reported as skipped, never as passed, when the class cannot run (no browser, or the JDK 25 pass). */
    @BeforeEach
    void skipWithoutABrowser() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    private static String url(String path) {
        return admin.base + path;
    }

    /** Signs the browser in with the user's own token, as a person would: the sign-in form, then the overview. */
    private static void signInAs(String user) {
        page.get(url("/console/static/console.css")); // a page of the console's origin, whoever is signed in
        page.manage().deleteAllCookies();
        page.get(url("/console/login"));
        page.findElement(By.id("token")).sendKeys(user.equals("admin") ? adminToken : tokens.get(user));
        page.findElement(By.id("sign-in")).click();
        // generous: on a machine as loaded as CI's, a page with its scripts can take seconds to load
        await().atMost(PAGE_LOAD).until(() -> page.getCurrentUrl().endsWith("/console/overview")
                || !page.findElements(By.id("login-error")).isEmpty());
        assertThat(page.getCurrentUrl()).as("signing in as %s: %s", user,
                page.findElements(By.id("login-error")).isEmpty() ? page.getPageSource()
                        : page.findElement(By.id("login-error")).getText()).endsWith("/console/overview");
        assertThat(page.findElement(By.id("signed-in")).getText()).startsWith(user + " (");
    }

    private static String outcomeOf(String label) {
        String[] line = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().stream()
                .filter(s -> s.startsWith("call " + label + ": ")).findFirst().map(s -> line[0] = s).isPresent());
        return line[0];
    }

    private static void shot(String name) throws Exception {
        browser.screenshot(SHOTS.resolve("console-" + name + ".png"));
    }

    /** POSTs from the page's own origin with fetch, as a script in it could; returns the status. */
    private static long fetchPost(String path, String form, boolean withCsrfHeader) {
        Object status = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                const headers = {'Content-Type': 'application/x-www-form-urlencoded'};
                if (arguments[2]) { headers['X-CSRF-Token'] = document.querySelector('input[name=csrf]').value; }
                fetch(arguments[0], {method: 'POST', headers, body: arguments[1], credentials: 'same-origin'})
                  .then(r => done(r.status)).catch(e => done(-1));
                """, url(path), form, withCsrfHeader);
        return ((Number) status).longValue();
    }

    @Test
    void anApproverSeesThePendingCallInContextApprovesItAndTheWaitingCallRuns() throws Exception {
        app.send("a0 lookup c-a1 1 " + SECRET_PASSWORD); // an earlier call of the same session
        outcomeOf("a0");
        app.send("a1 wait_refund c-a1 5000 " + SECRET_API_KEY);
        String id = admin.awaitPending("c-a1").path("id").asText();
        signInAs("alice");

        page.findElement(By.linkText("Approvals")).click();
        WebElement card = page.findElement(By.id("apr-" + id));
        String shown = card.getText();
        assertThat(shown).contains("wait_refund").contains("\"customer_id\" : \"c-a1\"").contains("5000")
                .contains("[REDACTED]").contains("u1").contains("acme").contains("sess-7")
                .contains("tools.wait_refund.rules[1]").contains("refunds over 100 need a person")
                .contains("console-desk version it-").doesNotContain(SECRET_API_KEY);
        card.findElement(By.tagName("summary")).click(); // the session's recent calls
        assertThat(card.findElement(By.tagName("details")).getText()).contains("lookup");
        shot("approvals");
        assertThat(app.stdout()).doesNotContain("call a1: ");

        card.findElement(By.tagName("textarea")).sendKeys("checked with finance");
        card.findElement(By.cssSelector("button.approve")).click();

        await().atMost(PAGE_LOAD).until(() -> page.findElement(By.id("apr-" + id)).getText()
                .contains("approved by alice"));
        assertThat(outcomeOf("a1")).isEqualTo("call a1: ok wait_refund for c-a1");
        JsonNode decided = admin.json("/approvals/" + id);
        assertThat(decided.path("decided_by").asText()).isEqualTo("alice");
        assertThat(decided.path("reason").asText()).isEqualTo("checked with finance");
    }

    @Test
    void aViewerHasNoApproveButtonAndAForgedPostIsRefused() throws Exception {
        app.send("v1 wait_refund c-v1 5000 " + SECRET_API_KEY);
        String id = admin.awaitPending("c-v1").path("id").asText();
        signInAs("vera");

        page.get(url("/console/approvals"));
        WebElement card = page.findElement(By.id("apr-" + id));

        assertThat(card.findElements(By.tagName("button"))).isEmpty();
        assertThat(page.findElement(By.id("viewer-note")).getText()).contains("a viewer");
        assertThat(fetchPost("/console/approvals/" + id, "decision=approve", true)).isEqualTo(403);
        assertThat(admin.json("/approvals/" + id).path("status").asText()).isEqualTo("pending");
        assertThat(app.stdout()).doesNotContain("call v1: ");
        admin.post("/approvals/" + id, "{\"decision\":\"reject\",\"reason\":\"test over\"}");
        outcomeOf("v1");
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
        app.send("x1 wait_refund c-x1 5000 k");
        String id = admin.awaitPending("c-x1").path("id").asText();
        signInAs("alice");
        page.get(url("/console/approvals"));

        assertThat(fetchPost("/console/approvals/" + id, "decision=approve", false)).isEqualTo(403);
        assertThat(admin.json("/approvals/" + id).path("status").asText()).isEqualTo("pending");
        assertThat(fetchPost("/console/approvals/" + id, "decision=reject&reason=cleanup", true)).isEqualTo(200); // decided, and the redirect to the page followed
        assertThat(outcomeOf("x1")).contains("denied");
    }

    @Test
    void aDecisionAppearsOnTheDecisionsPageWithinTwoSecondsWithoutReloading() throws Exception {
        signInAs("alice");
        page.get(url("/console/decisions"));
        await().atMost(PAGE_LOAD).until(() ->
                "open".equals(page.findElement(By.id("decision-rows")).getAttribute("data-live")));
        browser.script("window.__samePage = 'yes';");
        Set<String> before = rowIds();

        app.send("d1 close_account c-d1 1 x");
        outcomeOf("d1"); // its decision record is written before the call returns
        long shownAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> rowIds().stream().anyMatch(r -> !before.contains(r)));
        long millis = (System.nanoTime() - shownAt) / 1_000_000;

        assertThat(millis).isLessThanOrEqualTo(2000);
        assertThat(browser.script("return window.__samePage;")).isEqualTo("yes");
        String newRow = rowIds().stream().filter(r -> !before.contains(r)).findFirst().orElseThrow();
        WebElement row = page.findElement(By.id(newRow));
        assertThat(row.getText()).contains("close_account").contains("deny").contains("accounts are closed by people");
        row.findElement(By.tagName("a")).click();
        await().atMost(PAGE_LOAD).until(() -> page.findElement(By.id("detail")).getText().contains("c-d1"));
        assertThat(page.findElement(By.id("detail")).getText()).contains("\"rule\" : \"tools.close_account")
                .contains("\"hash\"");
        shot("decisions");

        // the filters: only lookups
        page.findElement(By.id("filter-tool")).sendKeys("lookup");
        page.findElement(By.cssSelector("form.filters button")).click();
        await().atMost(PAGE_LOAD).until(() -> page.getCurrentUrl().contains("tool=lookup"));
        assertThat(page.findElements(By.cssSelector("#decision-rows tr"))).allMatch(r -> r.getText().contains("lookup"));
    }

    private static Set<String> rowIds() {
        return page.findElements(By.cssSelector("#decision-rows tr")).stream().map(r -> r.getAttribute("id"))
                .collect(Collectors.toSet());
    }

    @Test
    void theOverviewsDenyCountMatchesMetrics() throws Exception {
        app.send("o1 close_account c-o1 1 x");
        app.send("o2 lookup c-o2 1 y");
        outcomeOf("o1");
        outcomeOf("o2");
        signInAs("alice");

        await().atMost(PAGE_LOAD).until(() -> {
            page.get(url("/console/overview"));
            long shown = Long.parseLong(page.findElement(By.id("total-deny")).getText());
            return shown == metricsDenials() && shown > 0;
        });
        await().atMost(PAGE_LOAD).until(() ->
                "true".equals(page.findElement(By.cssSelector("[data-overview]")).getAttribute("data-drawn")));
        assertThat(page.findElements(By.cssSelector("#chart-actions canvas"))).isNotEmpty();
        assertThat(page.findElement(By.id("deny-by-tool")).getText()).contains("close_account");
        shot("overview");
    }

    private static long metricsDenials() throws Exception {
        Map<String, Double> samples = PrometheusText.parse(admin.get("/metrics").body());
        return Math.round(samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith("toolguard_decisions_total{") && e.getKey().contains("action=\"deny\""))
                .mapToDouble(Map.Entry::getValue).sum());
    }

    @Test
    void loggingOutEndsTheSession() throws Exception {
        signInAs("alice");
        String cookie = "toolguard_session=" + page.manage().getCookieNamed("toolguard_session").getValue();
        assertThat(page.manage().getCookieNamed("toolguard_session").isHttpOnly()).isTrue();
        assertThat(page.manage().getCookieNamed("toolguard_session").getSameSite()).isEqualTo("Strict");
        assertThat(consoleGet("/console/approvals", cookie).statusCode()).isEqualTo(200);

        page.findElement(By.id("logout")).click();

        await().atMost(PAGE_LOAD).until(() -> page.getCurrentUrl().endsWith("/console/login"));
        assertThat(consoleGet("/console/approvals", cookie).statusCode()).isEqualTo(303);
        page.get(url("/console/approvals"));
        assertThat(page.getCurrentUrl()).endsWith("/console/login");
        shot("sign-in");
    }

    private static HttpResponse<String> consoleGet(String path, String cookie) throws Exception {
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                .send(HttpRequest.newBuilder(URI.create(url(path))).header("Cookie", cookie).timeout(Duration.ofSeconds(15))
                        .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePolicyPageShowsTheBundleItsSourcesAndTheDiffAgainstThePreviousVersion() throws Exception {
        Path file = scenario.dir.resolve("policies/console-desk.yaml");
        String before = Files.readString(file);
        Files.writeString(file, before.replace("version: \"it-1\"", "version: \"it-2\"")
                + "  export_data:\n    action: deny\n    reason: no bulk exports\n");
        await().atMost(Duration.ofSeconds(15)).until(() -> admin.json("/policy").path("version").asText().equals("it-2"));
        signInAs("alice");

        page.get(url("/console/policy"));

        String facts = page.findElement(By.id("policy-facts")).getText();
        assertThat(facts).contains("console-desk").contains("it-2").contains(admin.json("/policy").path("sha256").asText())
                .contains("unsigned").contains("policies");
        assertThat(page.findElement(By.id("policy-text")).getText()).contains("export_data");
        String diff = page.findElement(By.id("policy-diff")).getText();
        assertThat(diff).contains("-metadata: {name: console-desk, version: \"it-1\"}")
                .contains("+metadata: {name: console-desk, version: \"it-2\"}").contains("+  export_data:");
        shot("policy");
    }

    @Test
    void theAuditPageChecksTheChainOnDemandAndShowsTheAnchor() throws Exception {
        signInAs("alice");
        page.get(url("/console/audit"));
        JsonNode anchor = admin.json("/audit/anchor");

        assertThat(page.findElement(By.tagName("main")).getText()).contains("Last hash");
        page.findElement(By.id("verify")).click();

        await().atMost(PAGE_LOAD).until(() -> !page.findElements(By.id("verify-outcome")).isEmpty());
        assertThat(page.findElement(By.id("verify-outcome")).getText()).startsWith("OK: ").contains("chain intact");
        assertThat(anchor.path("count").asLong()).isPositive();
        shot("audit");
    }

    @Test
    void noPageStreamOrApiResponseContainsAPlantedSecret() throws Exception {
        app.send("s1 lookup c-s1 1 " + SECRET_PASSWORD);
        app.send("s2 wait_refund c-s2 5000 " + SECRET_API_KEY);
        app.send("s3 close_account c-s3 1 " + SECRET_PASSWORD);
        outcomeOf("s1");
        outcomeOf("s3");
        String pending = admin.awaitPending("c-s2").path("id").asText();
        signInAs("admin");
        String cookie = "toolguard_session=" + page.manage().getCookieNamed("toolguard_session").getValue();

        StringBuilder seen = new StringBuilder();
        for (String path : List.of("/console/overview", "/console/overview/data", "/console/decisions",
                "/console/approvals", "/console/policy", "/console/audit")) {
            page.get(url(path));
            seen.append(page.getPageSource());
        }
        page.get(url("/console/decisions"));
        for (String id : rowIds()) {
            seen.append(consoleGet("/console/decisions/" + id.substring(2), cookie).body());
        }
        page.get(url("/console/audit"));
        page.findElement(By.id("verify")).click();
        await().atMost(PAGE_LOAD).until(() -> !page.findElements(By.id("verify-outcome")).isEmpty());
        seen.append(page.getPageSource());
        // the live stream from the start: every decision kept, as rows (the stream ends within admin.read_timeout)
        seen.append(consoleGet("/console/decisions/stream?after=0", cookie).body());
        for (String path : List.of("/approvals", "/approvals/" + pending, "/policy", "/metrics", "/tools", "/audit/anchor")) {
            seen.append(admin.get(path).body());
        }

        assertThat(seen.toString()).contains("c-s1").contains("c-s2").contains("[REDACTED]");
        for (String secret : SECRETS) {
            assertThat(seen.toString()).as("a planted secret").doesNotContain(secret);
        }
        admin.post("/approvals/" + pending, "{\"decision\":\"reject\",\"reason\":\"test over\"}");
    }
}
