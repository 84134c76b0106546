package dev.toolguard.policy.decide;

import dev.toolguard.policy.state.EngineState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Counters are charged exactly once per allowed call, however many threads race. */
class LimitRacesTest {

    private final EngineState state = EngineState.inMemory(new ManualTime(1_700_000_000_000L));

    static int allowedUnderRace(PolicyEngine engine, ToolCall call, int threads, int callsPerThread) throws Exception {
        return underRace(threads, callsPerThread, () -> engine.decide(call).allowed());
    }

    /** Runs {@code attempt} from {@code threads} threads released together; counts the attempts that said true. */
    static int underRace(int threads, int callsPerThread, Callable<Boolean> attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger allowed = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        if (attempt.call()) {
                            allowed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return allowed.get();
    }

    @Test
    void eightThreadsRacingAtALimitOfTwentyPerHourGetExactlyTwenty() throws Exception {
        PolicyEngine engine = new PolicyEngine(Policies.bundle(
                "tools:\n  t:\n    action: allow\n    rate_limit: {limit: 20, per: 1h}\n"), state);

        int allowed = allowedUnderRace(engine, new ToolCall("t", Map.of(), Map.of()), 8, 50);

        assertThat(allowed).isEqualTo(20);
    }

    @Test
    void eightThreadsRacingForABudgetOfOneHundredAtThirtyEachGetExactlyThree() throws Exception {
        PolicyEngine engine = new PolicyEngine(Policies.bundle(
                "tools:\n  t:\n    action: allow\n    budget: {cost: args.amount, limit: 100, per: 1d, key: ctx.tenant}\n"), state);

        int allowed = allowedUnderRace(engine, new ToolCall("t", Map.of("amount", 30), Map.of("tenant", "acme")), 8, 50);

        assertThat(allowed).isEqualTo(3);
    }

    @Test
    void tokensTakenForCallsTheBudgetThenDeniesAreAllGivenBack() throws Exception {
        PolicyEngine engine = new PolicyEngine(Policies.bundle("tools:\n  t:\n    action: allow\n"
                + "    rate_limit: {limit: 10, per: 1h}\n"
                + "    budget: {cost: args.amount, limit: 100, per: 1d}\n"), state);

        int racing = allowedUnderRace(engine, new ToolCall("t", Map.of("amount", 30), Map.of()), 8, 50);
        int free = 0;
        for (int i = 0; i < 20; i++) {
            free += engine.decide(new ToolCall("t", Map.of("amount", 0), Map.of())).allowed() ? 1 : 0;
        }

        assertThat(racing).isEqualTo(3);
        assertThat(free).isEqualTo(7);
    }

    @Test
    void approvedCallsRacingAtALimitOfTwentyAreAdmittedExactlyTwenty() throws Exception {
        PolicyEngine engine = new PolicyEngine(Policies.bundle(
                "tools:\n  t:\n    action: require_approval\n    rate_limit: {limit: 20, per: 1h}\n"), state);
        ToolCall call = new ToolCall("t", Map.of(), Map.of());
        Decision approved = engine.decide(call);

        int admitted = underRace(8, 50, () -> engine.admitApproved(call, approved).allowed());

        assertThat(approved.action()).isEqualTo(Action.REQUIRE_APPROVAL);
        assertThat(admitted).isEqualTo(20);
    }

    @Test
    void eachKeyOfARateLimitIsExactUnderRace() throws Exception {
        PolicyEngine engine = new PolicyEngine(Policies.bundle(
                "tools:\n  t:\n    action: allow\n    rate_limit: {limit: 20, per: 1h, key: ctx.user.id}\n"), state);
        AtomicInteger next = new AtomicInteger();
        ConcurrentHashMap<String, AtomicInteger> byUser = new ConcurrentHashMap<>();

        underRace(8, 100, () -> {
            String user = "u" + next.getAndIncrement() % 4;
            boolean allowed = engine.decide(new ToolCall("t", Map.of(), Map.of("user", Map.of("id", user)))).allowed();
            if (allowed) {
                byUser.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
            }
            return allowed;
        });

        assertThat(byUser).hasSize(4).allSatisfy((user, n) -> assertThat(n.get()).isEqualTo(20));
    }
}
