package dev.toolguard.policy.state;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A clock that stops one chosen thread at its next reading until the test lets it go, so that a test can act
 * between a store's look-up of a key and its charge. Counts every reading.
 */
final class HoldingTime implements TimeSource {

    private volatile Thread held;
    private final CountDownLatch reached = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger readings = new AtomicInteger();

    /** The calling thread will stop at its next reading of either clock. */
    void holdThisThread() {
        held = Thread.currentThread();
    }

    void awaitHeld() throws InterruptedException {
        if (!reached.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the held thread never read the clock");
        }
    }

    void release() {
        released.countDown();
    }

    int readings() {
        return readings.get();
    }

    @Override
    public long monotonicNanos() {
        pause();
        return 0;
    }

    @Override
    public long epochMillis() {
        pause();
        return 0;
    }

    private void pause() {
        readings.incrementAndGet();
        if (Thread.currentThread() == held) {
            held = null;
            reached.countDown();
            try {
                if (!released.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("the held thread was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
