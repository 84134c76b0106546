package dev.toolguard.policy.load;

import dev.toolguard.policy.expr.Expression;

import java.util.List;

/**
 * The {@code key} of a rate limit or budget: one expression, or a list of them
 * ({@code key: [ctx.session.id, args]}). No key means one counter for all calls of the tool.
 *
 * @param parts the expressions, in order
 * @param list  true when written as a list; the key is then the canonical JSON of the list of values,
 *              otherwise of the single value
 */
public record LimitKey(List<Expression> parts, boolean list) {

    /** One counter for every call. */
    public static final LimitKey SHARED = new LimitKey(List.of(), true);
}
