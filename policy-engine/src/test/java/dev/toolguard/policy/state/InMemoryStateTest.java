package dev.toolguard.policy.state;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryStateTest {

    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void releasedTokenCanBeTakenAgain() {
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(new TestTime(0));
        assertThat(limiter.tryAcquire("b", 1, Duration.ofHours(1))).isTrue();
        assertThat(limiter.tryAcquire("b", 1, Duration.ofHours(1))).isFalse();

        limiter.release("b", 1, Duration.ofHours(1));

        assertThat(limiter.tryAcquire("b", 1, Duration.ofHours(1))).isTrue();
    }

    @Test
    void bucketsAreSeparatePerKey() {
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(new TestTime(0));
        limiter.tryAcquire("a", 1, Duration.ofHours(1));

        assertThat(limiter.tryAcquire("b", 1, Duration.ofHours(1))).isTrue();
    }

    @Test
    void budgetWindowsAreAlignedToTheUtcDay() {
        TestTime time = new TestTime(Instant.parse("2026-11-21T23:59:00Z").toEpochMilli());
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger(time);
        assertThat(ledger.tryCharge("acme", 100, 100, DAY)).isTrue();
        assertThat(ledger.tryCharge("acme", 1, 100, DAY)).isFalse();

        time.advance(Duration.ofMinutes(1));

        assertThat(ledger.tryCharge("acme", 100, 100, DAY)).isTrue();
    }

    @Test
    void chargeThatWouldPassTheLimitChargesNothing() {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger(new TestTime(0));
        ledger.tryCharge("acme", 60, 100, DAY);

        assertThat(ledger.tryCharge("acme", 50, 100, DAY)).isFalse();
        assertThat(ledger.tryCharge("acme", 40, 100, DAY)).isTrue();
    }

    @Test
    void budgetOfOneHundredAtThirtyEachChargesExactlyThreeUnderRace() throws Exception {
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger(new TestTime(0));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger charged = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 20; i++) {
                    if (ledger.tryCharge("acme", 30, 100, DAY)) {
                        charged.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdownNow();

        assertThat(charged.get()).isEqualTo(3);
    }

    @Test
    void historyAnswersOnlyForItsSessionAndWindow() {
        InMemorySessionHistory history = new InMemorySessionHistory();
        history.recordAllowed("s1", "crm.read", 1_000);

        assertThat(history.anyAllowedSince("s1", t -> t.startsWith("crm."), 1_000)).isTrue();
        assertThat(history.anyAllowedSince("s1", t -> t.startsWith("crm."), 1_001)).isFalse();
        assertThat(history.anyAllowedSince("s2", t -> t.startsWith("crm."), 0)).isFalse();
        assertThat(history.anyAllowedSince("s1", t -> t.startsWith("email."), 0)).isFalse();
    }

    @Test
    void historyKeepsABoundedNumberOfToolsPerSession() {
        InMemorySessionHistory history = new InMemorySessionHistory();
        for (int i = 0; i <= InMemorySessionHistory.MAX_TOOLS_PER_SESSION; i++) {
            history.recordAllowed("s", "tool" + i, i);
        }

        assertThat(history.anyAllowedSince("s", "tool0"::equals, 0)).isFalse();
        assertThat(history.anyAllowedSince("s", ("tool" + InMemorySessionHistory.MAX_TOOLS_PER_SESSION)::equals, 0)).isTrue();
    }
}
