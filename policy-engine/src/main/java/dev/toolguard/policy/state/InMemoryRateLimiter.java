package dev.toolguard.policy.state;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Token buckets in memory, lock-free: each bucket is an immutable (tokens, time) pair swapped by
 * compare-and-set, refilled from the monotonic clock. No lock is taken, per bucket or for the whole store.
 *
 * <p>Memory: past {@link #MAX_BUCKETS} buckets, the ones that are full again (and so equal to a fresh bucket)
 * are dropped. A bucket still counting is never dropped, since forgetting it would hand out tokens it does
 * not have; when that many buckets are all counting, the store grows, and sweeps again only once it has grown
 * by a quarter, so that new keys are not each made to scan it.
 */
public final class InMemoryRateLimiter implements RateLimiter {

    static final int MAX_BUCKETS = 100_000;

    private record Bucket(double tokens, long atNanos, long limit, long perNanos) {
    }

    /** A bucket no call has charged yet: full, whatever the time. Compared by identity. */
    private static final Bucket FRESH = new Bucket(0, 0, 0, 0);
    /** A bucket the sweep took out of the map: whoever still holds it looks the key up again. */
    private static final Bucket DROPPED = new Bucket(0, 0, 0, 0);

    private final TimeSource time;
    private final int maxBuckets;
    private final ConcurrentHashMap<String, AtomicReference<Bucket>> buckets = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicLong sweeps = new AtomicLong();
    private volatile int sweepAt;

    public InMemoryRateLimiter(TimeSource time) {
        this(time, MAX_BUCKETS);
    }

    InMemoryRateLimiter(TimeSource time, int maxBuckets) {
        this.time = time;
        this.maxBuckets = maxBuckets;
        this.sweepAt = maxBuckets;
    }

    @Override
    public boolean tryAcquire(String bucket, long limit, Duration per) {
        long perNanos = per.toNanos();
        while (true) {
            AtomicReference<Bucket> ref = lookUp(bucket);
            long now = time.monotonicNanos();
            while (true) {
                Bucket current = ref.get();
                if (current == DROPPED) {
                    break;
                }
                long at = current == FRESH ? now : Math.max(current.atNanos(), now);
                double tokens = current == FRESH ? limit : refilled(current, at, limit, perNanos);
                if (tokens < 1) {
                    return false;
                }
                if (ref.compareAndSet(current, new Bucket(tokens - 1, at, limit, perNanos))) {
                    return true;
                }
            }
            // the sweep dropped this bucket between our look-up and our charge: charge the one in the map
            buckets.remove(bucket, ref);
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
            if (current == FRESH || current == DROPPED) {
                return; // full already: nothing to give back
            }
            Bucket back = new Bucket(Math.min(limit, current.tokens() + 1), current.atNanos(), limit, per.toNanos());
            if (ref.compareAndSet(current, back)) {
                return;
            }
        }
    }

    /** How many sweeps have run; for tests. */
    long sweeps() {
        return sweeps.get();
    }

    private AtomicReference<Bucket> lookUp(String key) {
        AtomicReference<Bucket> ref = buckets.get(key);
        if (ref != null) {
            return ref;
        }
        if (buckets.size() >= sweepAt) {
            sweep();
        }
        return buckets.computeIfAbsent(key, k -> new AtomicReference<>(FRESH));
    }

    private static double refilled(Bucket b, long now, long limit, long perNanos) {
        double elapsed = now - b.atNanos();
        return Math.min(limit, b.tokens() + elapsed * limit / perNanos);
    }

    /**
     * Drops buckets that are full again; they behave exactly like a bucket never seen. One caller sweeps at a
     * time (the others go on without waiting), and a bucket is dropped only by a compare-and-set from the value
     * found full, so a call charging it at that moment is never lost.
     */
    private void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            sweeps.incrementAndGet();
            long now = time.monotonicNanos();
            buckets.forEach((key, ref) -> {
                Bucket b = ref.get();
                boolean full = b == FRESH || (b != DROPPED
                        && refilled(b, Math.max(now, b.atNanos()), b.limit(), b.perNanos()) >= b.limit());
                if (full && ref.compareAndSet(b, DROPPED)) {
                    buckets.remove(key, ref);
                }
            });
            int size = buckets.size();
            sweepAt = Math.max(maxBuckets, size + Math.max(1, size / 4));
        } finally {
            sweeping.set(false);
        }
    }
}
