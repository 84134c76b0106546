package dev.toolguard.policy.load;

import dev.toolguard.policy.expr.Expression;

import java.time.Duration;

/**
 * A token bucket of {@code limit} tokens per key, refilled at {@code limit} per {@code per}: a tool's
 * {@code rate_limit}, one entry of a {@code rate_limit} list, or one bundle-level {@code limits} entry (SPEC §14).
 *
 * @param when the entry's condition, or null (always applies). An erroring condition applies the entry: errors
 *             never widen (SPEC §4)
 * @param rule the rule id a denial names ({@code tools.<tool>.rate_limit[i]}, {@code limits[i]}); null for a
 *             tool's single {@code rate_limit}, whose id the engine derives from the tool
 */
public record RateLimit(long limit, Duration per, LimitKey key, Expression when, String rule) {

    /** A tool's single, unconditional {@code rate_limit}. */
    public RateLimit(long limit, Duration per, LimitKey key) {
        this(limit, per, key, null, null);
    }
}
