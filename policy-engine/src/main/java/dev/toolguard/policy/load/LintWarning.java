package dev.toolguard.policy.load;

import dev.toolguard.policy.values.SourcePosition;

/**
 * Something in a bundle that loads but is very likely not what its author meant: a role naming a tool no
 * {@code tools} entry can decide, a glob as a {@code tools} key, an argument name no schema checks, a file without
 * {@code apiVersion}/{@code kind}. Every lint, whichever check finds it, is one of these, placed where it was
 * found, so that {@code validate}, the agent's stderr and {@code GET /policy} print them one way. {@code validate
 * --strict} makes them errors.
 *
 * @param position where it is
 * @param code     which check found it, stable for tools that filter ({@code unmatched-tool}, ...)
 * @param message  what is likely wrong and what to do
 */
public record LintWarning(SourcePosition position, String code, String message) {

    /** {@code file:line:col: warning: message [code]}. */
    @Override
    public String toString() {
        return position + ": warning: " + message + " [" + code + "]";
    }
}
