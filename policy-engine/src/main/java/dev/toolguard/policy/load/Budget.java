package dev.toolguard.policy.load;

import dev.toolguard.policy.expr.Expression;

import java.time.Duration;

/**
 * A tool's {@code budget}: the sum of {@code cost} per key may not pass {@code limit} within a window of
 * {@code per}, windows aligned to the Unix epoch (UTC).
 */
public record Budget(Expression cost, double limit, Duration per, LimitKey key) {
}
