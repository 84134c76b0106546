package dev.toolguard.policy.values;

/**
 * A string, number, boolean or null, with the text it was written as and how it was written (which
 * decides where the characters of its value sit in the source).
 */
public final class LocatedScalar implements LocatedNode {

    /** How a scalar was written, which decides how a column inside its value maps to a column in the file. */
    public enum Style {
        /** Unquoted: the value starts at the scalar's position. */
        PLAIN,
        /** In single or double quotes (YAML or JSON): the value starts one column after the quote. */
        QUOTED,
        /** A YAML block scalar ({@code |} or {@code >}): the value starts on a later line. */
        BLOCK
    }

    private final Object value;
    private final String text;
    private final Style style;
    private final SourcePosition position;
    private final int blockIndent;

    /**
     * @param value       String, Long, Double, Boolean or null
     * @param text        the scalar's text as the parser saw it (after unquoting)
     * @param style       how it was written
     * @param position    where the scalar starts (its quote or block indicator, if any)
     * @param blockIndent for {@link Style#BLOCK}: the 1-based column its content lines start at; else 0
     */
    public LocatedScalar(Object value, String text, Style style, SourcePosition position, int blockIndent) {
        this.value = value;
        this.text = text;
        this.style = style;
        this.position = position;
        this.blockIndent = blockIndent;
    }

    public Object value() {
        return value;
    }

    /** The scalar as text, e.g. {@code 1.2} for a number written {@code 1.2}. */
    public String text() {
        return text;
    }

    public Style style() {
        return style;
    }

    @Override
    public SourcePosition position() {
        return position;
    }

    /**
     * The position in the source of the character at 1-based {@code columnInValue} of {@link #text()}.
     * Exact for plain and quoted single-line values without escape sequences and for literal block
     * scalars ({@code |}); for folded scalars and values with escapes it is the best estimate: the
     * right line, with a column that may be off by the characters the escapes or folding changed.
     */
    public SourcePosition positionInValue(int columnInValue) {
        int offset = Math.max(0, Math.min(columnInValue - 1, text.length()));
        int line = 0;
        int lineStart = 0;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int inLine = offset - lineStart;
        return switch (style) {
            case PLAIN -> line == 0
                    ? position.shiftedRight(inLine)
                    : new SourcePosition(position.source(), position.line() + line, Math.max(1, blockIndent) + inLine);
            case QUOTED -> line == 0
                    ? position.shiftedRight(1 + inLine)
                    : new SourcePosition(position.source(), position.line() + line, Math.max(1, blockIndent) + inLine);
            case BLOCK -> new SourcePosition(position.source(), position.line() + 1 + line, Math.max(1, blockIndent) + inLine);
        };
    }

    @Override
    public String kind() {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "true/false";
        }
        return "a number";
    }

    @Override
    public Object toPlain() {
        return value;
    }

    @Override
    public String toString() {
        return position + " " + text;
    }
}
