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

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        store = new RedisSharedState(new RedisSettings(URI.create(redis.url()), null, "fv:", Duration.ofMillis(200)),
                SharedState.OnUnavailable.DENY, (answering, detail) -> { });
        stream = store.decisionStream();
        a = AuditLog.open(AuditConfig.toFile(dir.resolve("a.jsonl").toString()), Map.of());
        b = AuditLog.open(AuditConfig.toFile(dir.resolve("b.jsonl").toString()), Map.of());
        FleetFeed.start(new FleetFeed(dir.resolve("a.jsonl"), stream, "replica-a"));
        FleetFeed.start(new FleetFeed(dir.resolve("b.jsonl"), stream, null));
    }

    @AfterEach
    void stop() throws Exception {
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

        await().atMost(Duration.ofSeconds(5)).until(() -> fleet.latest() == 2 && !fleet.decidedApprovals(5).isEmpty());

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
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.calls("xadd") == 1);
        FleetDecisions fleet = FleetDecisions.start(stream, dir.resolve("b.jsonl"), Clock.systemUTC());
        await().atMost(Duration.ofSeconds(5)).until(() -> fleet.find("a-0").isPresent());

        redis.stop();
        decide(a, "a-1", "lookup", Action.ALLOW);
        decide(b, "b-1", "close_account", Action.DENY);

        await().atMost(Duration.ofSeconds(5)).until(() -> fleet.find("b-1").isPresent());
        assertThat(fleet.unavailable()).startsWith("The fleet view is unavailable")
                .contains("this replica's decisions only, from its audit log");
        assertThat(fleet.find("b-1").orElseThrow().replica()).isEqualTo(stream.replica());
        assertThat(fleet.find("a-1")).isEmpty();

        redis.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.find("a-1").isPresent() && fleet.unavailable() == null);
        decide(b, "b-2", "lookup", Action.ALLOW);
        await().atMost(Duration.ofSeconds(5)).until(() -> fleet.find("b-2").isPresent());
        assertThat(fleet.recent(100, d -> true)).extracting(DecisionSource.Decision::id)
                .containsExactly("b-2", "a-1", "b-1", "a-0");
        assertThat(sum(fleet.lastHour(Instant.now()).byAction().get("deny"))).isEqualTo(1);
    }
}
