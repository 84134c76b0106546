package dev.toolguard.policy.expr;

/**
 * The value of an expression that has no value: a missing key, a type mismatch, a division by zero.
 * CEL-style, errors are values: {@code false && err} is false, {@code true || err} is true.
 */
public final class EvalError {
    private final String message;

    public EvalError(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }

    @Override
    public String toString() {
        return "error: " + message;
    }
}
