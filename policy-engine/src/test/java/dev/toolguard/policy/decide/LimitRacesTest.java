package dev.toolguard.policy.decide;

import dev.toolguard.policy.state.EngineState;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Counters are charged exactly once per allowed call, however many threads race. */
class LimitRacesTest {

    static int allowedUnderRace(PolicyEngine engine, ToolCall call, int threads, int callsPerThread) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger allowed = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        if (engine.decide(call).allowed()) {
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
                "tools:\n  t:\n    action: allow\n    rate_limit: {limit: 20, per: 1h}\n"),
                EngineState.inMemory(new ManualTime(1_700_000_000_000L)));

        int allowed = allowedUnderRace(engine, new ToolCall("t", Map.of(), Map.of()), 8, 50);

        assertThat(allowed).isEqualTo(20);
    }
}
