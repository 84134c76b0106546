package dev.toolguard.policy.state;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
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
        history.recordAllowed("s1", "crm.read", 1_000, Long.MAX_VALUE);

        assertThat(history.anyAllowedSince("s1", t -> t.startsWith("crm."), 1_000)).isTrue();
        assertThat(history.anyAllowedSince("s1", t -> t.startsWith("crm."), 1_001)).isFalse();
        assertThat(history.anyAllowedSince("s2", t -> t.startsWith("crm."), 0)).isFalse();
        assertThat(history.anyAllowedSince("s1", t -> t.startsWith("email."), 0)).isFalse();
    }

    @Test
    void historyKeepsABoundedNumberOfToolsPerSession() {
        InMemorySessionHistory history = new InMemorySessionHistory();
        for (int i = 0; i <= InMemorySessionHistory.MAX_TOOLS_PER_SESSION; i++) {
            history.recordAllowed("s", "tool" + i, i, Long.MAX_VALUE);
        }

        assertThat(history.anyAllowedSince("s", "tool0"::equals, 0)).isFalse();
        assertThat(history.anyAllowedSince("s", ("tool" + InMemorySessionHistory.MAX_TOOLS_PER_SESSION)::equals, 0)).isTrue();
    }

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void aBucketTheSweepDropsWhileACallHoldsItIsNotChargedTwice() throws Exception {
        HoldingTime time = new HoldingTime();
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(time, 1);
        CompletableFuture<Boolean> held = CompletableFuture.supplyAsync(() -> {
            time.holdThisThread();
            return limiter.tryAcquire("k", 1, HOUR);
        });
        time.awaitHeld(); // it has looked up bucket k (new, so full) and reads the clock before charging it

        assertThat(limiter.tryAcquire("other", 1, HOUR)).isTrue(); // the store is full: this sweeps k away
        assertThat(limiter.tryAcquire("k", 1, HOUR)).isTrue();
        time.release();

        assertThat(held.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(limiter.tryAcquire("k", 1, HOUR)).isFalse();
    }

    @Test
    void theSweepKeepsBucketsThatAreStillCounting() {
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(new TestTime(0), 2);
        limiter.tryAcquire("a", 1, HOUR);
        limiter.tryAcquire("b", 1, HOUR);

        limiter.tryAcquire("c", 1, HOUR);

        assertThat(limiter.sweeps()).isEqualTo(1);
        assertThat(limiter.tryAcquire("a", 1, HOUR)).isFalse();
        assertThat(limiter.tryAcquire("b", 1, HOUR)).isFalse();
    }

    @Test
    void aStoreFullOfCountingBucketsIsNotSweptForEveryNewKey() {
        InMemoryRateLimiter limiter = new InMemoryRateLimiter(new TestTime(0), 100);
        for (int i = 0; i < 200; i++) {
            limiter.tryAcquire("k" + i, 1, HOUR);
        }

        // sweeps at 100, 125, 156 and 195 buckets, not at each of the 100 keys past the first 100
        assertThat(limiter.sweeps()).isEqualTo(4);
    }

    @Test
    void anAccountTheSweepDropsWhileACallHoldsItIsNotChargedTwice() throws Exception {
        HoldingTime time = new HoldingTime();
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger(time, 1);
        CompletableFuture<Boolean> held = CompletableFuture.supplyAsync(() -> {
            time.holdThisThread();
            return ledger.tryCharge("acme", 30, 30, DAY);
        });
        time.awaitHeld(); // it has looked up account acme (new, so empty) and reads the clock before charging

        assertThat(ledger.tryCharge("other", 30, 30, DAY)).isTrue(); // the store is full: this sweeps acme away
        assertThat(ledger.tryCharge("acme", 30, 30, DAY)).isTrue();
        time.release();

        assertThat(held.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void theSweepKeepsWindowsThatAreStillOpen() {
        TestTime time = new TestTime(0);
        InMemoryBudgetLedger ledger = new InMemoryBudgetLedger(time, 2);
        ledger.tryCharge("a", 100, 100, DAY);
        ledger.tryCharge("b", 100, 100, HOUR);
        time.advance(HOUR);

        ledger.tryCharge("c", 100, 100, DAY); // sweeps: b's window has ended, a's has not

        assertThat(ledger.sweeps()).isEqualTo(1);
        assertThat(ledger.tryCharge("a", 1, 100, DAY)).isFalse();
        assertThat(ledger.tryCharge("b", 100, 100, HOUR)).isTrue();
    }
}
