package dev.toolguard.policy.decide;

import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.state.PendingCharges;
import dev.toolguard.policy.state.SharedState.OnUnavailable;
import dev.toolguard.policy.state.StateListener;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §14 on a real Redis server: engines with their own stores (as separate replicas have) share limits,
 * budgets and session history exactly; a store that stops answering is handled by {@code on_unavailable}; a
 * tool with no state never reaches the store.
 */
class SharedStateOnRedisTest {

    private static final String POLICY = """
            tools:
              refund:
                rate_limit: {limit: 20, per: 1h, key: ctx.user.id}
                action: allow
              charge:
                budget: {cost: args.amount, limit: 100, per: 1d, key: ctx.tenant}
                action: allow
              crm.read: {action: allow}
              email.send: {action: allow}
              lookup: {action: allow}
            sequences:
              - name: no-exfiltration
                after: ["crm.read*"]
                deny: [email.send]
                within: session
            """;

    private RedisServer redis;
    private final List<RedisSharedState> stores = new ArrayList<>();
    private final List<String> switches = new CopyOnWriteArrayList<>();

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

    private PolicyEngine replica(OnUnavailable onUnavailable) {
        StateListener listener = (answering, detail) -> switches.add(answering ? "available" : "unavailable");
        RedisSharedState store = new RedisSharedState(new RedisSettings(URI.create(redis.url()), null, "test:",
                Duration.ofMillis(200)), onUnavailable, listener);
        stores.add(store);
        // on a loaded machine the very first connection may miss the timeout; the switches under test come after
        await().atMost(Duration.ofSeconds(5)).until(store::answering);
        switches.clear();
        PolicyBundle bundle = Policies.bundle(POLICY);
        return new PolicyEngine(bundle, EngineState.sharedIn(store));
    }

    private static ToolCall call(String tool, Map<String, Object> args) {
        return new ToolCall(tool, args, Map.of("user", Map.of("id", "u1"), "tenant", "acme", "session", Map.of("id", "s1")));
    }

    /** Decides as the agent does: charges held open, committed once "the record is written". */
    private static Decision decideAndCommit(PolicyEngine engine, ToolCall call) {
        PendingCharges charges = PendingCharges.open();
        Decision d = engine.decide(call);
        charges.commit();
        return d;
    }

    private int allowedAcross(List<PolicyEngine> replicas, int threadsEach, int callsEach, ToolCall call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(replicas.size() * threadsEach);
        try {
            AtomicInteger allowed = new AtomicInteger();
            List<Callable<Void>> tasks = new ArrayList<>();
            for (PolicyEngine e : replicas) {
                for (int t = 0; t < threadsEach; t++) {
                    tasks.add(() -> {
                        for (int i = 0; i < callsEach; i++) {
                            if (decideAndCommit(e, call).allowed()) {
                                allowed.incrementAndGet();
                            }
                        }
                        return null;
                    });
                }
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
            return allowed.get();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRateLimitHoldsExactlyAcrossReplicasOfRacingThreads() throws Exception {
        List<PolicyEngine> replicas = List.of(replica(OnUnavailable.DENY), replica(OnUnavailable.DENY),
                replica(OnUnavailable.DENY));
        assertThat(allowedAcross(replicas, 8, 5, call("refund", Map.of()))).isEqualTo(20);
        Decision next = replicas.get(0).decide(call("refund", Map.of()));
        assertThat(next.rule()).isEqualTo("tools.refund.rate_limit");
        assertThat(next.reason()).isEqualTo("rate limit reached: at most 20 calls per 1h");
    }

    @Test
    void aBudgetHoldsExactlyAcrossReplicasOfRacingThreads() throws Exception {
        List<PolicyEngine> replicas = List.of(replica(OnUnavailable.DENY), replica(OnUnavailable.DENY),
                replica(OnUnavailable.DENY));
        assertThat(allowedAcross(replicas, 8, 2, call("charge", Map.of("amount", 30)))).isEqualTo(3);
        assertThat(replicas.get(1).decide(call("charge", Map.of("amount", 30))).rule()).isEqualTo("tools.charge.budget");
        assertThat(replicas.get(1).decide(call("charge", Map.of("amount", 10))).allowed()).isTrue();
    }

    @Test
    void aSequenceSeesAToolAllowedOnAnotherReplica() {
        PolicyEngine a = replica(OnUnavailable.DENY);
        PolicyEngine b = replica(OnUnavailable.DENY);
        assertThat(decideAndCommit(b, call("email.send", Map.of())).allowed()).isTrue();
        assertThat(decideAndCommit(a, call("crm.read", Map.of())).allowed()).isTrue();
        Decision d = decideAndCommit(b, call("email.send", Map.of()));
        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("sequences.no-exfiltration");
    }

    @Test
    void chargesReleasedWhenTheRecordCannotBeWrittenAreGivenBack() {
        PolicyEngine a = replica(OnUnavailable.DENY);
        PolicyEngine b = replica(OnUnavailable.DENY);
        PendingCharges charges = PendingCharges.open();
        assertThat(a.decide(call("crm.read", Map.of())).allowed()).isTrue();
        charges.release(); // the decision record could not be written: crm.read never ran
        assertThat(decideAndCommit(b, call("email.send", Map.of())).allowed()).isTrue();
        for (int i = 0; i < 30; i++) {
            PendingCharges held = PendingCharges.open();
            assertThat(a.decide(call("refund", Map.of())).allowed()).isTrue();
            held.release();
        }
        assertThat(allowedAcrossOne(b, 25)).isEqualTo(20);
    }

    private static int allowedAcrossOne(PolicyEngine e, int calls) {
        int allowed = 0;
        for (int i = 0; i < calls; i++) {
            allowed += decideAndCommit(e, call("refund", Map.of())).allowed() ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void aToolWithNoStateMakesNoRedisCommand() {
        PolicyEngine a = replica(OnUnavailable.DENY);
        decideAndCommit(a, call("refund", Map.of())); // the store is in use
        long before = redis.allCalls();
        for (int i = 0; i < 50; i++) {
            assertThat(decideAndCommit(a, call("lookup", Map.of())).allowed()).isTrue();
        }
        assertThat(redis.allCalls()).isEqualTo(before);
        decideAndCommit(a, call("refund", Map.of()));
        assertThat(redis.calls("evalsha")).isEqualTo(2); // and a limited call is one round trip
    }

    @Test
    void withDenyAStoppedStoreDeniesTheCallsThatNeedItAndTheOthersRunThenCountingResumes() throws Exception {
        PolicyEngine a = replica(OnUnavailable.DENY);
        assertThat(allowedAcrossOne(a, 5)).isEqualTo(5);
        redis.stop();
        Decision limited = decideAndCommit(a, call("refund", Map.of()));
        assertThat(limited.action()).isEqualTo(Action.DENY);
        assertThat(limited.rule()).isEqualTo("state_unavailable");
        assertThat(decideAndCommit(a, call("email.send", Map.of())).rule()).isEqualTo("state_unavailable");
        assertThat(decideAndCommit(a, call("lookup", Map.of())).allowed()).isTrue();
        assertThat(switches).containsExactly("unavailable");
        redis.restart();
        await().atMost(Duration.ofSeconds(2)).until(() -> decideAndCommit(a, call("lookup", Map.of())).allowed()
                && stores.get(0).answering());
        assertThat(allowedAcrossOne(a, 30)).isEqualTo(15); // 5 before, none charged during, 15 after
        assertThat(switches).containsExactly("unavailable", "available");
    }

    @Test
    void withLocalAStoppedStoreDecidesInMemoryAndSaysSo() throws Exception {
        PolicyEngine a = replica(OnUnavailable.LOCAL);
        assertThat(allowedAcrossOne(a, 5)).isEqualTo(5);
        redis.stop();
        Decision d = decideAndCommit(a, call("refund", Map.of()));
        assertThat(d.allowed()).isTrue();
        assertThat(d.state()).isEqualTo("local");
        assertThat(allowedAcrossOne(a, 30)).isEqualTo(19); // this process's own bucket: 20 per process
        redis.restart();
        await().atMost(Duration.ofSeconds(2)).until(() -> stores.get(0).answering());
        Decision back = decideAndCommit(a, call("refund", Map.of()));
        assertThat(back.state()).isNull();
        assertThat(back.allowed()).isTrue();
        assertThat(allowedAcrossOne(a, 30)).isEqualTo(14); // shared again: 5 + 1 + 14 = 20, nothing charged twice
    }

    @Test
    void aStoreThatHangsPastTheTimeoutCountsAsUnavailableAndIsUsedAgainOnceItAnswers() throws Exception {
        PolicyEngine a = replica(OnUnavailable.DENY);
        assertThat(allowedAcrossOne(a, 2)).isEqualTo(2);
        redis.pause();
        try {
            Decision d = decideAndCommit(a, call("refund", Map.of()));
            assertThat(d.rule()).isEqualTo("state_unavailable");
            assertThat(decideAndCommit(a, call("lookup", Map.of())).allowed()).isTrue();
        } finally {
            redis.resume();
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> stores.get(0).answering());
        assertThat(allowedAcrossOne(a, 30)).isEqualTo(18);
        assertThat(switches).containsExactly("unavailable", "available");
    }

    @Test
    void withAllowAStoppedStoreAllowsAndTheDecisionSaysUnavailable() throws Exception {
        PolicyEngine a = replica(OnUnavailable.ALLOW);
        redis.stop();
        Decision d = decideAndCommit(a, call("refund", Map.of()));
        assertThat(d.allowed()).isTrue();
        assertThat(d.state()).isEqualTo("unavailable");
        assertThat(decideAndCommit(a, call("lookup", Map.of())).state()).isNull();
    }
}
