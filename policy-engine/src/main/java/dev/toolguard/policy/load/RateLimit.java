package dev.toolguard.policy.load;

import java.time.Duration;

/**
 * A tool's {@code rate_limit}: a token bucket of {@code limit} tokens per key, refilled at {@code limit}
 * per {@code per}.
 */
public record RateLimit(long limit, Duration per, LimitKey key) {
}
