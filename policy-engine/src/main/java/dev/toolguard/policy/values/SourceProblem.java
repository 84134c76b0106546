package dev.toolguard.policy.values;

/** One thing wrong in a source, with where it is; prints as {@code file:line:col: message}. */
public record SourceProblem(SourcePosition position, String message) {

    public String source() {
        return position.source();
    }

    public int line() {
        return position.line();
    }

    public int column() {
        return position.column();
    }

    @Override
    public String toString() {
        return position + ": " + message;
    }
}
