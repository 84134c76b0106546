package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.policy.state.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §14 approvals across a fleet: three replicas of the plain-java sample ({@code --serve}) under the shaded
 * agent, with the fleet's policy ({@code sample-apps/fleet/policies}) and one Redis server the test starts. A call
 * waiting on A is listed on every replica and approved through B's admin API, and runs on A within a second; a
 * ticket approved on B is redeemed once on C, and never again on C or A. With Redis stopped, approvals are neither
 * listed nor requested: the calls that need them are denied {@code state_unavailable}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetApprovalsIT {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.sample.dir"));
    static final Path FLEET = SAMPLE.resolveSibling("fleet");
    private static final Pattern APPROVAL_ID = Pattern.compile("apr_[0-9a-f]{16}");

    @TempDir
    static Path dir;
    static RedisServer redis;
    static final String TOKEN = UUID.randomUUID().toString();
    static final List<AgentProcess> replicas = new ArrayList<>();
    static final List<AdminClient> admins = new ArrayList<>();
    static final List<Scenario> scenarios = new ArrayList<>();

    @BeforeAll
    static void startRedisAndThreeReplicas() throws Exception {
        redis = RedisServer.start();
        for (String name : List.of("a", "b", "c")) {
            Scenario s = new Scenario(dir.resolve(name));
            s.write("toolguard.yaml", """
                    policy:
                      sources: [%s/]
                    instrumentation:
                      builtin: [guarded-tool]
                      rules: [%s]
                    audit:
                      file: audit.jsonl
                    admin:
                      listen: 127.0.0.1:0
                    state:
                      store: redis
                      redis: {url: "%s", prefix: "fleet-it:", timeout: 1s}
                      on_unavailable: deny
                    """.formatted(FLEET.resolve("policies"), SAMPLE.resolve("rules.yaml"), redis.url()));
            scenarios.add(s);
            replicas.add(s.app().agentOptions("config=" + s.file("toolguard.yaml")).env("TOOLGUARD_ADMIN_TOKEN", TOKEN)
                    .main("dev.toolguard.sample.support.SupportAgent", SAMPLE.resolve("target/sample-plain-java.jar"))
                    .args("--serve").start());
        }
        for (AgentProcess p : replicas) {
            admins.add(AdminClient.of(p, TOKEN));
            await().atMost(Duration.ofSeconds(60)).until(() -> p.stdoutLines().contains("ready"));
        }
    }

    @AfterAll
    static void stopAll() throws Exception {
        for (AgentProcess p : replicas) {
            p.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static AgentProcess replica(int i) {
        return replicas.get(i);
    }

    /** The line a replica printed for the call labelled {@code label}, once it returned. */
    private static String outcome(int replica, String label) {
        String[] found = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Optional<String> l = replica(replica).stdoutLines().stream().filter(s -> s.startsWith(label + ": ")).findFirst();
            l.ifPresent(s -> found[0] = s);
            return l.isPresent();
        });
        return found[0];
    }

    private static List<JsonNode> pendingOn(int replica) throws Exception {
        return StreamSupport.stream(admins.get(replica).json("/approvals").spliterator(), false).toList();
    }

    private static JsonNode awaitPendingOn(int replica, String argument, String value) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Optional<JsonNode> a = pendingOn(replica).stream()
                    .filter(p -> p.path("args").path(argument).asText().equals(value)).findFirst();
            a.ifPresent(p -> found[0] = p);
            return a.isPresent();
        });
        return found[0];
    }

    private static HttpResponse<String> decide(int replica, String id, String decision) throws Exception {
        return admins.get(replica).post("/approvals/" + id, "{\"decision\":\"" + decision + "\",\"reason\":\"checked\"}");
    }

    private static List<JsonNode> approvalRecords(int replica, String id) {
        return AuditFile.ofType(scenarios.get(replica).audit(), "approval").stream()
                .filter(r -> r.path("id").asText().equals(id)).toList();
    }

    @Test
    @Order(1)
    void aCallWaitingOnAIsListedEverywhereApprovedThroughBAndRunsOnAWithinASecond() throws Exception {
        replica(0).send("w1 bob crm.update_account account_id=acct-77 field=tier value=platinum");
        JsonNode pending = awaitPendingOn(1, "account_id", "acct-77");
        String id = pending.path("id").asText();
        assertThat(pending.path("mode").asText()).isEqualTo("wait");
        assertThat(pending.path("user").asText()).isEqualTo("bob");
        assertThat(pendingOn(2)).extracting(p -> p.path("id").asText()).contains(id);
        assertThat(replica(0).stdout()).doesNotContain("w1: ");

        HttpResponse<String> approved = decide(1, id, "approve");

        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        // A's own re-check of the store is seconds away: the push through Redis wakes the call
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> replica(0).stdout().contains("w1: "));
        assertThat(outcome(0, "w1")).isEqualTo("w1: ok: acct-77 tier set to platinum");
        assertThat(approvalRecords(0, id)).extracting(r -> r.path("event").asText()).containsExactly("requested");
        assertThat(approvalRecords(1, id)).extracting(r -> r.path("event").asText()).containsExactly("approved");
        JsonNode decision = AuditFile.ofType(scenarios.get(0).audit(), "decision").stream()
                .filter(d -> d.path("tool").asText().equals("crm.update_account")).reduce((x, y) -> y).orElseThrow();
        assertThat(decision.path("action").asText()).isEqualTo("allow");
        assertThat(decision.path("reason").asText()).isEqualTo("approved by admin (approval " + id + ")");
        assertThat(pendingOn(2)).extracting(p -> p.path("id").asText()).doesNotContain(id);
        assertThat(decide(2, id, "reject").statusCode()).isEqualTo(409);
    }

    @Test
    @Order(2)
    void aTicketApprovedOnBIsRedeemedOnceOnCAndNeverAgain() throws Exception {
        String call = "bob issue_refund customer_id=c-fleet amount=3000 reason=penalty";
        replica(0).send("k1 " + call);
        Matcher m = APPROVAL_ID.matcher(outcome(0, "k1"));
        assertThat(m.find()).as(outcome(0, "k1")).isTrue();
        String id = m.group();
        assertThat(outcome(0, "k1")).contains("approval required: request " + id + " is pending");

        assertThat(decide(1, id, "approve").statusCode()).isEqualTo(200);
        replica(2).send("k2 " + call);
        assertThat(outcome(2, "k2")).isEqualTo("k2: ok: refund of 3000.00 issued to c-fleet (penalty)");
        replica(2).send("k3 " + call);
        replica(0).send("k4 " + call);

        assertThat(outcome(2, "k3")).contains("approval required").doesNotContain(id);
        assertThat(outcome(0, "k4")).contains("approval required").doesNotContain(id);
        assertThat(approvalRecords(2, id)).extracting(r -> r.path("event").asText()).containsExactly("used");
        for (int i = 0; i < 3; i++) {
            replica(i).assertNoAdviceFailures();
        }
    }

    @Test
    @Order(3)
    void withRedisStoppedApprovalsAreNeitherListedNorRequestedAndTheCallIsDenied() throws Exception {
        redis.stop();
        replica(0).send("u1 bob issue_refund customer_id=c-down amount=5000 reason=penalty");

        assertThat(outcome(0, "u1")).endsWith("[state_unavailable]");
        HttpResponse<String> listing = admins.get(1).get("/approvals");
        assertThat(listing.statusCode()).as(listing.body()).isEqualTo(503);
        replica(0).send("u2 alice reset_password email=alice@acme.example");
        assertThat(outcome(0, "u2")).startsWith("u2: ok: ");
    }
}
