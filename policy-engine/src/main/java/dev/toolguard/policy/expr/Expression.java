package dev.toolguard.policy.expr;

import java.util.List;
import java.util.Map;

/**
 * A compiled expression of the CEL subset (SPEC §4). Immutable and thread-safe: compile once at load,
 * evaluate on every call.
 */
public interface Expression {

    /** The source text as written in the policy. */
    String source();

    /**
     * Evaluates against one call. Never throws: the result is a JSON-like value
     * ({@code Boolean}, {@code Long}, {@code Double}, {@code String}, {@code List}, {@code Map}, {@code null})
     * or an {@link EvalError} describing why there is no value.
     *
     * @param args the call's arguments by parameter name
     * @param ctx  the call's context tree
     * @param tool the tool name
     */
    Object evaluate(Map<String, Object> args, Map<String, Object> ctx, String tool);

    /** Every {@code args.<name>} / {@code args["<name>"]} the expression reads, so loading can check them. */
    List<ArgumentReference> argumentReferences();

    /** A top-level argument read by an expression, with its 1-based column inside the source. */
    record ArgumentReference(String name, int column) {
    }
}
