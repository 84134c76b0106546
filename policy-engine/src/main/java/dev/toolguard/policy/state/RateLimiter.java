package dev.toolguard.policy.state;

import java.time.Duration;

/**
 * Token buckets, one per bucket id: {@code limit} tokens, refilled continuously at {@code limit} per
 * {@code per}. Implementations are thread-safe and exact under races: N concurrent acquisitions of a
 * bucket with M tokens succeed exactly min(N, M) times.
 */
public interface RateLimiter {

    /** Takes one token from the bucket if it has one; a bucket seen for the first time is full. */
    boolean tryAcquire(String bucket, long limit, Duration per);

    /** Gives back a token taken by {@link #tryAcquire} for a call that did not go ahead after all. */
    void release(String bucket, long limit, Duration per);
}
