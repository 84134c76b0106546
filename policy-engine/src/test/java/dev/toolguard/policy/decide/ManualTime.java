package dev.toolguard.policy.decide;

import dev.toolguard.policy.state.TimeSource;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Clocks that move only when a test moves them. */
final class ManualTime implements TimeSource {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong millis;

    ManualTime(long epochMillis) {
        this.millis = new AtomicLong(epochMillis);
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
