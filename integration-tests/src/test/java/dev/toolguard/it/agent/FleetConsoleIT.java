package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.it.agent.apps.ConsoleDeskApp;
import dev.toolguard.policy.state.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console's fleet view (SPEC §16) across JVMs with the shaded agent and one Redis server the test starts: replica
 * A (no admin server) and replica B (console) share {@code state.store: redis}. A decision made on A is pushed live
 * to B's Decisions page, opens there as its whole redacted record, and counts in B's Overview; nothing redacted
 * reaches Redis or B's pages; with Redis stopped calls are still decided, and B says the fleet view is unavailable
 * and shows its own decisions, then catches up, showing none twice. Before anyone opens B's console, neither replica
 * sends Redis a command (SPEC §14); opening it brings in what A decided before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetConsoleIT {

    private static final String SECRET_PASSWORD = "pw-" + UUID.randomUUID();
    private static final String SECRET_CTX_TOKEN = "tok-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COOKIE = Pattern.compile("toolguard_session=([^;]+)");

    @TempDir
    static Path dir;
    static RedisServer redis;
    static Scenario a;
    static Scenario b;
    static AgentProcess appA;
    static AgentProcess appB;
    static AdminClient adminB;
    static String cookie;
    static final String TOKEN = UUID.randomUUID().toString();
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void startRedisAndTwoReplicas() throws Exception {
        redis = RedisServer.start();
        a = replica("a", "");
        b = replica("b", """
                admin:
                  listen: 127.0.0.1:0
                  read_timeout: 5s
                """);
        appA = a.app().agentOptions("config=" + a.file("toolguard.yaml")).env("HOSTNAME", "fleet-a")
                .main(ConsoleDeskApp.class, SECRET_CTX_TOKEN).start();
        appB = b.app().agentOptions("config=" + b.file("toolguard.yaml")).env("HOSTNAME", "fleet-b")
                .env("TOOLGUARD_ADMIN_TOKEN", TOKEN).main(ConsoleDeskApp.class, SECRET_CTX_TOKEN).start();
        adminB = AdminClient.of(appB, TOKEN);
        for (AgentProcess p : List.of(appA, appB)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> p.stdoutLines().contains("ready"));
        }
        HttpResponse<String> signIn = http.send(HttpRequest.newBuilder(URI.create(adminB.base + "/console/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + TOKEN)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = COOKIE.matcher(signIn.headers().firstValue("Set-Cookie").orElse(""));
        assertThat(m.find()).as("signed in: %s", signIn.headers().map()).isTrue();
        cookie = "toolguard_session=" + m.group(1);
    }

    private static Scenario replica(String name, String extra) throws Exception {
        Scenario s = new Scenario(dir.resolve(name));
        s.policy("console-desk.yaml");
        s.config(extra + """
                state:
                  store: redis
                  redis: {url: "%s", prefix: "fleet-view-it:", timeout: 1s}
                  on_unavailable: deny
                """.formatted(redis.url()));
        return s;
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AgentProcess p : new AgentProcess[] {appA, appB}) {
            if (p != null) {
                p.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static String replicaA() {
        return "fleet-a:" + appA.pid();
    }

    private static String console(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(adminB.base + path)).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    /** Makes one call on the app and returns the id of its decision record. */
    private static String call(AgentProcess app, Scenario s, String label, String tool, String customer) {
        try {
            app.send(label + " " + tool + " " + customer + " 1 " + SECRET_PASSWORD);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().stream()
                .anyMatch(l -> l.startsWith("call " + label + ": ")));
        return AuditFile.ofType(s.audit(), "decision").stream()
                .filter(d -> d.path("args").path("customer_id").asText().equals(customer))
                .map(d -> d.path("id").asText()).reduce((x, y) -> y).orElseThrow();
    }

    private static long denials(Scenario s) {
        return AuditFile.ofType(s.audit(), "decision").stream().filter(d -> d.path("action").asText().equals("deny")).count();
    }

    private static long sum(JsonNode perMinute) {
        long total = 0;
        for (JsonNode n : perMinute) {
            total += n.asLong();
        }
        return total;
    }

    @Test
    @Order(0)
    void whileNoConsoleIsViewedNoReplicaSendsRedisACommandAndOpeningBsConsoleBringsInWhatADecidedBefore()
            throws Exception {
        long quiet = redis.allCalls();
        String earlier = call(appA, a, "e1", "lookup", "c-e1");
        call(appB, b, "e2", "lookup", "c-e2");
        // SPEC §14: stateless calls make no Redis command; the fleet view's feeds wait for a console to be viewed
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> redis.allCalls() == quiet);
        assertThat(redis.calls("xadd")).isZero();

        // B's console is opened: A publishes its last hour, which B's page then shows
        console("/console/decisions");
        await().atMost(Duration.ofSeconds(5)).until(() -> console("/console/decisions").contains("id=\"d-" + earlier + "\""));
        assertThat(console("/console/decisions?replica=" + replicaA())).contains("id=\"d-" + earlier + "\"");
    }

    @Test
    @Order(1)
    void aDecisionMadeOnAIsPushedLiveToBsDecisionsPageAndOpensThereRedacted() throws Exception {
        console("/console/decisions"); // the console (and its fleet view) starts with its first page
        List<String> events = new CopyOnWriteArrayList<>();
        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> live = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(adminB.base + "/console/decisions/stream?after=" + Long.MAX_VALUE)).header("Cookie", cookie)
                .build(), HttpResponse.BodyHandlers.ofLines());
        live.thenAccept(r -> r.body().forEach(events::add));
        await().atMost(Duration.ofSeconds(10)).until(() -> events.contains("retry: 300"));

        String id = call(appA, a, "d1", "close_account", "c-d1");
        long madeAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> events.stream().anyMatch(e -> e.contains("id=\"d-" + id + "\"")));
        assertThat((System.nanoTime() - madeAt) / 1_000_000).isLessThanOrEqualTo(2000);
        assertThat(events.stream().filter(e -> e.contains("id=\"d-" + id + "\"")).findFirst().orElseThrow())
                .contains("close_account").contains("deny").contains(replicaA());

        String page = console("/console/decisions");
        assertThat(page).contains("id=\"d-" + id + "\"").contains("<th scope=\"col\">Replica</th>")
                .contains("The whole fleet").contains(replicaA()).contains("fleet-b:" + appB.pid());
        String record = console("/console/decisions/" + id);
        assertThat(record).contains("tools.close_account").contains("c-d1").contains("[REDACTED]");
        assertThat(console("/console/decisions?replica=" + replicaA())).contains("id=\"d-" + id + "\"");
        assertThat(console("/console/decisions?replica=fleet-b:" + appB.pid())).doesNotContain("id=\"d-" + id + "\"");
        assertThat(console("/console/decisions?tool=lookup")).doesNotContain("id=\"d-" + id + "\"");
    }

    @Test
    @Order(2)
    void bsOverviewCountsTheDecisionsOfBothReplicas() throws Exception {
        call(appA, a, "o1", "close_account", "c-o1");
        call(appA, a, "o2", "lookup", "c-o2");
        call(appB, b, "o3", "close_account", "c-o3");
        long fleetDenials = denials(a) + denials(b);

        await().atMost(Duration.ofSeconds(5)).until(() ->
                sum(JSON.readTree(console("/console/overview/data")).path("deny")) == fleetDenials);
        String overview = console("/console/overview");
        assertThat(overview).contains("id=\"fleet-deny\">" + fleetDenials + "<")
                // this replica's own counts since it started, as /metrics has them
                .contains("id=\"total-deny\">" + denials(b) + "<");
        assertThat(denials(a)).isPositive();
        JsonNode tools = JSON.readTree(console("/console/overview/data")).path("tools");
        assertThat(tools.toString()).contains("close_account");
    }

    @Test
    @Order(3)
    void neitherRedisNorBsConsoleHoldsAPlantedSecret() throws Exception {
        String id = call(appA, a, "s1", "lookup", "c-s1");
        await().atMost(Duration.ofSeconds(5)).until(() -> console("/console/decisions").contains("d-" + id));

        StringBuilder redisHolds = new StringBuilder();
        try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
            for (String key : j.keys("*")) {
                switch (j.type(key)) {
                    case "stream" -> redisHolds.append(j.xrange(key, "-", "+"));
                    case "hash" -> redisHolds.append(j.hgetAll(key));
                    case "string" -> redisHolds.append(j.get(key));
                    case "zset" -> redisHolds.append(j.zrange(key, 0, -1));
                    case "list" -> redisHolds.append(j.lrange(key, 0, -1));
                    case "set" -> redisHolds.append(j.smembers(key));
                    default -> redisHolds.append(key);
                }
            }
        }
        StringBuilder pages = new StringBuilder();
        for (String path : List.of("/console/overview", "/console/overview/data", "/console/decisions",
                "/console/approvals", "/console/decisions/" + id)) {
            pages.append(console(path));
        }
        pages.append(http.send(HttpRequest.newBuilder(URI.create(adminB.base + "/console/decisions/stream?after=0"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString()).body());

        for (StringBuilder seen : List.of(redisHolds, pages)) {
            assertThat(seen.toString()).contains("c-s1").contains("[REDACTED]")
                    .doesNotContain(SECRET_PASSWORD).doesNotContain(SECRET_CTX_TOKEN);
        }
    }

    @Test
    @Order(4)
    void withRedisStoppedCallsAreDecidedAndBShowsItsOwnDecisionsSaysWhyAndLaterShowsAsNoneTwice() throws Exception {
        redis.stop();
        String onA = call(appA, a, "u1", "lookup", "c-u1");
        assertThat(appA.stdoutLines()).contains("call u1: ok lookup for c-u1"); // the call did not wait for Redis
        String onB = call(appB, b, "u2", "close_account", "c-u2");

        await().atMost(Duration.ofSeconds(5)).until(() -> console("/console/decisions").contains("d-" + onB));
        String page = console("/console/decisions");
        assertThat(page).contains("The fleet view is unavailable").doesNotContain("d-" + onA);
        assertThat(console("/console/overview")).contains("The fleet view is unavailable");
        // the fleet's approvals live in Redis too: the page says they cannot be listed now, and still shows
        assertThat(console("/console/approvals")).contains("The pending approvals cannot be listed");

        redis.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            String now = console("/console/decisions");
            return now.contains("d-" + onA) && !now.contains("The fleet view is unavailable");
        });
        assertThat(Pattern.compile("id=\"d-" + Pattern.quote(onB) + "\"").matcher(console("/console/decisions"))
                .results().count()).isEqualTo(1);
        appA.assertNoAdviceFailures();
        appB.assertNoAdviceFailures();
    }
}
