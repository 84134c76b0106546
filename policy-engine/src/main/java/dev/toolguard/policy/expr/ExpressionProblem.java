package dev.toolguard.policy.expr;

/**
 * Why an expression does not compile.
 *
 * @param column  1-based column inside the expression source
 * @param message what is wrong, e.g. "unknown function 'sizeof'"
 */
public record ExpressionProblem(int column, String message) {
}
