package dev.toolguard.policy.decide;

import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.state.PendingCharges;
import dev.toolguard.policy.state.SharedState.OnUnavailable;
import dev.toolguard.policy.state.redis.RedisServer;
import dev.toolguard.policy.state.redis.RedisSettings;
import dev.toolguard.policy.state.redis.RedisSharedState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.toolguard.policy.decide.LimitRacesTest.underRace;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §14 on a real Redis server: {@code rate_limit} lists with conditions and bundle-level {@code limits} hold
 * exactly across replicas of racing threads, every applicable entry is taken in the call's one round trip, and a
 * call whose record cannot be written gives every entry back.
 */
class LimitListsOnRedisTest {

    private RedisServer redis;
    private final List<RedisSharedState> stores = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopAll() throws Exception {
        stores.forEach(RedisSharedState::close);
        if (redis != null) {
            redis.close();
        }
    }

    private PolicyEngine replica(String policy) {
        RedisSharedState store = new RedisSharedState(new RedisSettings(URI.create(redis.url()), null, "test:",
                Duration.ofMillis(500)), OnUnavailable.DENY, (answering, detail) -> { });
        stores.add(store);
        await().atMost(Duration.ofSeconds(5)).until(store::answering);
        return new PolicyEngine(Policies.bundle(policy), EngineState.sharedIn(store));
    }

    private static ToolCall call(String tool, String tier) {
        return new ToolCall(tool, Map.of(), Map.of("user", Map.of("id", "u"), "agent", Map.of("tier", tier)));
    }

    private static boolean decideAndCommit(PolicyEngine engine, ToolCall call) {
        PendingCharges charges = PendingCharges.open();
        Decision d = engine.decide(call);
        charges.commit();
        return d.allowed();
    }

    @Test
    void tierConditionalLimitsAreExactAcrossReplicasOfEightRacingThreads() throws Exception {
        String policy = LimitListsTest.POLICY.replace("limit: 30", "limit: 1000");
        List<PolicyEngine> replicas = List.of(replica(policy), replica(policy));
        AtomicInteger n = new AtomicInteger();
        AtomicInteger background = new AtomicInteger();

        int allowed = underRace(8, 20, () -> {
            int i = n.getAndIncrement();
            boolean bg = i % 2 == 0;
            boolean ok = decideAndCommit(replicas.get(i / 2 % 2), call("read_file", bg ? "background" : "interactive"));
            if (ok && bg) {
                background.incrementAndGet();
            }
            return ok;
        });

        assertThat(background.get()).isEqualTo(20);
        assertThat(allowed).isEqualTo(60);
        // both entries are spent now: the first in the list is the one named
        assertThat(replicas.get(1).decide(call("read_file", "interactive")).rule())
                .isEqualTo("tools.read_file.rate_limit[0]");
    }

    @Test
    void aCrossToolLimitIsExactAcrossReplicasOfEightRacingThreads() throws Exception {
        List<PolicyEngine> replicas = List.of(replica(LimitListsTest.POLICY), replica(LimitListsTest.POLICY));
        AtomicInteger n = new AtomicInteger();

        int allowed = underRace(8, 20, () -> {
            int i = n.getAndIncrement();
            return decideAndCommit(replicas.get(i % 2), call(i / 2 % 2 == 0 ? "search" : "read_file", "interactive"));
        });

        assertThat(allowed).isEqualTo(30);
        Decision next = replicas.get(0).decide(call("search", "interactive"));
        assertThat(next.rule()).isEqualTo("limits[0]");
        assertThat(next.reason()).isEqualTo("rate limit reached: at most 30 calls per 1m");
    }

    @Test
    void aCallWithSeveralEntriesIsOneRoundTrip() {
        PolicyEngine engine = replica(LimitListsTest.POLICY);
        long before = redis.calls("evalsha");

        // read_file as a background agent: two entries of its own and the bundle's limit, all in one script call
        for (int i = 0; i < 5; i++) {
            assertThat(decideAndCommit(engine, call("read_file", "background"))).isTrue();
        }

        assertThat(redis.calls("evalsha") - before).isEqualTo(5);
    }

    @Test
    void everyEntryIsGivenBackWhenTheRecordCannotBeWritten() {
        PolicyEngine engine = replica("""
                tools:
                  read_file:
                    action: allow
                    rate_limit:
                      - {limit: 2, per: 1h, key: ctx.user.id}
                      - {limit: 1, per: 1h, key: ctx.user.id, when: 'ctx.agent.tier == "background"'}
                limits:
                  - {tools: ["*"], limit: 1, per: 1h, key: ctx.user.id}
                """);
        ToolCall call = call("read_file", "background");

        PendingCharges released = PendingCharges.open();
        assertThat(engine.decide(call).allowed()).isTrue();
        released.release();

        assertThat(decideAndCommit(engine, call)).isTrue();
        assertThat(engine.decide(call).rule()).isEqualTo("tools.read_file.rate_limit[1]");
    }
}
