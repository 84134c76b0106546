package dev.toolguard.policy.state;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Clocks that move only when a test moves them. */
final class TestTime implements TimeSource {
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong millis;

    TestTime(long epochMillis) {
        millis = new AtomicLong(epochMillis);
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
        millis.addAndGet(d.toMillis());
    }

    @Override
    public long monotonicNanos() {
        return nanos.get();
    }

    @Override
    public long epochMillis() {
        return millis.get();
    }
}
