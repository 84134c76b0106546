package dev.toolguard.policy.state;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Token buckets in memory, lock-free: each bucket is an immutable (tokens, time) pair swapped by
 * compare-and-set, refilled from the monotonic clock. Memory is bounded: past {@link #MAX_BUCKETS}
 * buckets, the ones that are full again (and so equal to a fresh bucket) are dropped.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    static final int MAX_BUCKETS = 100_000;

    private record Bucket(double tokens, long atNanos, long limit, long perNanos) {
    }

    private final TimeSource time;
    private final ConcurrentHashMap<String, AtomicReference<Bucket>> buckets = new ConcurrentHashMap<>();

    public InMemoryRateLimiter(TimeSource time) {
        this.time = time;
    }

    @Override
    public boolean tryAcquire(String bucket, long limit, Duration per) {
        long now = time.monotonicNanos();
        AtomicReference<Bucket> ref = buckets.get(bucket);
        if (ref == null) {
            sweepIfFull(now);
            ref = buckets.computeIfAbsent(bucket, k -> new AtomicReference<>(new Bucket(limit, now, limit, per.toNanos())));
        }
        while (true) {
            Bucket current = ref.get();
            long at = Math.max(current.atNanos(), now);
            double tokens = refilled(current, at, limit, per);
            if (tokens < 1) {
                return false;
            }
            if (ref.compareAndSet(current, new Bucket(tokens - 1, at, limit, per.toNanos()))) {
                return true;
            }
        }
    }

    @Override
    public void release(String bucket, long limit, Duration per) {
        AtomicReference<Bucket> ref = buckets.get(bucket);
        if (ref == null) {
            return;
        }
        while (true) {
            Bucket current = ref.get();
            Bucket back = new Bucket(Math.min(limit, current.tokens() + 1), current.atNanos(), limit, per.toNanos());
            if (ref.compareAndSet(current, back)) {
                return;
            }
        }
    }

    private static double refilled(Bucket b, long now, long limit, Duration per) {
        double elapsed = now - b.atNanos();
        double perNanos = per.toNanos();
        return Math.min(limit, b.tokens() + elapsed * limit / perNanos);
    }

    /** Drops buckets that are full again; they behave exactly like a bucket never seen. */
    private void sweepIfFull(long now) {
        if (buckets.size() < MAX_BUCKETS) {
            return;
        }
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue().get();
            return refilled(b, Math.max(now, b.atNanos()), b.limit(), Duration.ofNanos(b.perNanos())) >= b.limit();
        });
    }
}
