package dev.toolguard.policy.expr;

import java.util.List;

/** Parses, checks and compiles expressions of the CEL subset (SPEC §4). */
public final class ExpressionCompiler {

    private ExpressionCompiler() {
    }

    /**
     * Compiles one expression. On success the result has an expression and no problems; otherwise
     * no expression and at least one problem, each with the column inside {@code source}.
     */
    public static Compilation compile(String source) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The outcome of {@link #compile}: exactly one of {@code expression} and a non-empty {@code problems}. */
    public record Compilation(Expression expression, List<ExpressionProblem> problems) {
        public boolean ok() {
            return expression != null;
        }
    }
}
