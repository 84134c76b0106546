package dev.toolguard.agent.console;

import dev.toolguard.policy.audit.ApprovalRecord;
import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.state.DecisionStream;
import dev.toolguard.policy.state.SharedState;
import dev.toolguard.policy.state.redis.RedisServer;
import dev.toolguard.policy.state.redis.RedisSettings;
import dev.toolguard.policy.state.redis.RedisSharedState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.StreamEntry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fleet view (SPEC §16) on a real Redis: two replicas' audit logs, each fed to the stream by its own
 * {@link FleetFeed}, read back by replica B's console ({@link FleetDecisions}); while Redis is away B shows its own
 * decisions and says why, and once Redis answers the missed ones come in, none twice. Nothing redacted reaches Redis.
 * While no console is viewed the replicas send Redis nothing (SPEC §14); opening one brings in their last hour.
 */
class FleetViewTest {

    private static final String SECRET = "pw-" + UUID.randomUUID();
    private static final String CTX_SECRET = "tok-" + UUID.randomUUID();

    @TempDir
    Path dir;
    RedisServer redis;
    RedisSharedState store;
    DecisionStream stream;
    AuditLog a;
    AuditLog b;
    FleetFeed feedA;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        store = new RedisSharedState(new RedisSettings(URI.create(redis.url()), null, "fv:", Duration.ofMillis(200)),
                SharedState.OnUnavailable.DENY, (answering, detail) -> { });
        stream = store.decisionStream();
        a = AuditLog.open(AuditConfig.toFile(dir.resolve("a.jsonl").toString()), Map.of());
        b = AuditLog.open(AuditConfig.toFile(dir.resolve("b.jsonl").toString()), Map.of());
        feedA = FleetFeed.start(new FleetFeed(dir.resolve("a.jsonl"), stream, "replica-a", 2_000));
        FleetFeed.start(new FleetFeed(dir.resolve("b.jsonl"), stream, null));
    }

    @AfterEach
    void stop() throws Exception {
        // without a Redis server the set-up stopped at its first line (the test is skipped): nothing else was made
        if (redis == null) {
            return;
        }
        a.close();
        b.close();
        store.close();
        redis.close();
    }

    private static void decide(AuditLog log, String id, String tool, Action action) throws Exception {
        log.decision(id, new ToolCall(tool, Map.of("customer_id", "c-" + id, "password", SECRET),
                        Map.of("user", Map.of("id", "u1"), "session", Map.of("id", "s1"), "auth", Map.of("token", CTX_SECRET))),
                "A#" + tool + "()", new Decision(action, true, action == Action.DENY ? "no" : "ok", "tools." + tool, null,
                        "p", "v1", "ab".repeat(32), 1_000_000, null, List.of()));
    }

    /** Waits for {@code condition} while the console is being viewed (as a page open in a browser keeps it). */
    private static void viewing(FleetDecisions fleet, Duration atMost, java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(atMost).until(() -> {
            fleet.viewed();
            return condition.call();
        });
    }

    private static long sum(long[] perMinute) {
        return Arrays.stream(perMinute).sum();
    }

    @Test
    void replicaBShowsTheDecisionsOfBothReplicasRedactedWithTheReplicaThatMadeEach() throws Exception {
        FleetDecisions fleet = FleetDecisions.start(stream, dir.resolve("b.jsonl"), Clock.systemUTC());
        decide(a, "a-1", "close_account", Action.DENY);
        a.outcome("a-1", null, 1);
        decide(b, "b-1", "lookup", Action.ALLOW);
        a.append(new ApprovalRecord("apr_1", "approved", null, "refund", Map.of("password", SECRET), null, null, null,
                "alice", "checked"));

        viewing(fleet, Duration.ofSeconds(5), () -> fleet.latest() == 2 && !fleet.decidedApprovals(5).isEmpty());

        assertThat(fleet.unavailable()).isNull();
        assertThat(fleet.find("a-1")).hasValueSatisfying(d -> {
            assertThat(d.replica()).isEqualTo("replica-a");
            assertThat(d.action()).isEqualTo("deny");
            assertThat(d.record()).contains("\"customer_id\":\"c-a-1\"").contains("[REDACTED]").doesNotContain(SECRET)
                    .doesNotContain(CTX_SECRET);
        });
        assertThat(fleet.find("b-1")).hasValueSatisfying(d -> assertThat(d.replica()).isEqualTo(stream.replica()));
        assertThat(fleet.recent(10, d -> "replica-a".equals(d.replica()))).extracting(DecisionSource.Decision::id)
                .containsExactly("a-1");
        assertThat(fleet.decidedApprovals(5)).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("apr_1");
            assertThat(e.by()).isEqualTo("alice");
        });
        DecisionSource.Hour hour = fleet.lastHour(Instant.now());
        assertThat(sum(hour.byAction().get("deny"))).isEqualTo(1);
        assertThat(sum(hour.byAction().get("allow"))).isEqualTo(1);
        assertThat(hour.denyByTool()).containsKeys("close_account", "lookup");
        assertThat(fleet.scope()).contains("2 replicas").contains("replica-a").contains(stream.replica());

        // what Redis holds: the decisions and the approval's summary, as written, redacted; no outcome record
        try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
            List<StreamEntry> entries = j.xrange("fv:records", "-", "+");
            assertThat(entries).hasSize(3);
            String all = entries.toString();
            assertThat(all).doesNotContain(SECRET).doesNotContain(CTX_SECRET).doesNotContain("\"outcome\"")
                    .contains("replica-a");
        }
    }

    @Test
    void whileRedisIsAwayBShowsItsOwnDecisionsAndSaysWhyThenTheMissedOnesComeInNoneTwice() throws Exception {
        decide(a, "a-0", "lookup", Action.ALLOW);
        FleetDecisions fleet = FleetDecisions.start(stream, dir.resolve("b.jsonl"), Clock.systemUTC());
        viewing(fleet, Duration.ofSeconds(5), () -> fleet.find("a-0").isPresent());

        redis.stop();
        decide(a, "a-1", "lookup", Action.ALLOW);
        decide(b, "b-1", "close_account", Action.DENY);

        viewing(fleet, Duration.ofSeconds(5), () -> fleet.find("b-1").isPresent());
        assertThat(fleet.unavailable()).startsWith("The fleet view is unavailable")
                .contains("this replica's decisions only, from its audit log");
        assertThat(fleet.find("b-1").orElseThrow().replica()).isEqualTo(stream.replica());
        assertThat(fleet.find("a-1")).isEmpty();

        redis.restart();
        viewing(fleet, Duration.ofSeconds(10), () -> fleet.find("a-1").isPresent() && fleet.unavailable() == null);
        decide(b, "b-2", "lookup", Action.ALLOW);
        viewing(fleet, Duration.ofSeconds(5), () -> fleet.find("b-2").isPresent());
        assertThat(fleet.recent(100, d -> true)).extracting(DecisionSource.Decision::id)
                .containsExactly("b-2", "a-1", "b-1", "a-0");
        assertThat(sum(fleet.lastHour(Instant.now()).byAction().get("deny"))).isEqualTo(1);
    }

    @Test
    void whileNoConsoleIsViewedReplicasSendRedisNothingAndOpeningOneBringsInTheirLastHour() throws Exception {
        // both feeds subscribed at start; the console of B exists but nobody looks at it
        FleetDecisions fleet = FleetDecisions.start(stream, dir.resolve("b.jsonl"), Clock.systemUTC());
        long quiet = redis.allCalls();
        decide(a, "a-1", "close_account", Action.DENY);
        decide(b, "b-1", "lookup", Action.ALLOW);
        // SPEC §14: deciding calls of stateless tools makes no Redis command, fleet view or not (several feed polls)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> redis.allCalls() == quiet);
        assertThat(fleet.find("a-1")).isEmpty();

        // someone opens B's console: A and B publish what they decided before, then follow live
        viewing(fleet, Duration.ofSeconds(5), () -> fleet.find("a-1").isPresent() && fleet.find("b-1").isPresent());
        assertThat(redis.calls("publish")).isEqualTo(1); // one ask, heard by both feeds
        decide(a, "a-2", "lookup", Action.ALLOW);
        viewing(fleet, Duration.ofSeconds(5), () -> fleet.find("a-2").isPresent());
        assertThat(fleet.find("a-1").orElseThrow().replica()).isEqualTo("replica-a");

    }

    @Test
    void aFeedNobodyAsksAnyMoreStopsSendingAndWhenAskedAgainGoesOnWhereItStoppedPublishingNoneTwice() throws Exception {
        decide(a, "a-1", "lookup", Action.ALLOW);
        stream.want(); // as a viewed console does
        await().atMost(Duration.ofSeconds(5)).until(() -> idsFromA().equals(List.of("a-1")));

        // nobody asks any more: once A's wish lapses (2 s in this test, a minute in the agent) it sends nothing again
        await().atMost(Duration.ofSeconds(5)).until(() -> !feedA.isWanted());
        long quiet = redis.allCalls();
        decide(a, "a-2", "lookup", Action.ALLOW);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> redis.allCalls() == quiet);

        stream.want();
        await().atMost(Duration.ofSeconds(5)).until(() -> idsFromA().equals(List.of("a-1", "a-2")));
    }

    /** The ids of the decisions replica A published, in the stream's order. */
    private List<String> idsFromA() throws Exception {
        return stream.read(null, 0, 1000).stream().filter(e -> e.replica().equals("replica-a"))
                .map(e -> {
                    try {
                        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.record()).path("id").asText();
                    } catch (java.io.IOException x) {
                        throw new AssertionError(x);
                    }
                }).toList();
    }
}
