package dev.toolguard.policy.values;

/**
 * Where something is in a source: the source's name (a file as the user named it, or a URL) and a
 * 1-based line and column.
 */
public record SourcePosition(String source, int line, int column) {

    /** The start of a source, for problems that belong to the whole file (unreadable, empty). */
    public static SourcePosition startOf(String source) {
        return new SourcePosition(source, 1, 1);
    }

    /** The same line, {@code n} columns further right. */
    public SourcePosition shiftedRight(int n) {
        return new SourcePosition(source, line, column + n);
    }

    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
