package dev.toolguard.policy.expr;

import java.util.ArrayList;
import java.util.List;

/** Turns expression text into tokens with 1-based columns; the first malformed token stops it. */
final class Lexer {

    enum Kind {
        IDENT, INT, DOUBLE, STRING, TRUE, FALSE, NULL, IN,
        DOT, COMMA, LPAREN, RPAREN, LBRACKET, RBRACKET, LBRACE, RBRACE, QUESTION, COLON,
        NOT, MINUS, PLUS, STAR, SLASH, PERCENT, LT, LE, GT, GE, EQ, NE, AND, OR, EOF
    }

    /**
     * One token. {@code value} is the decoded literal (String, Double) for literals; for INT it is the
     * digit text, because {@code -9223372036854775808} only fits once the sign is known.
     */
    record Token(Kind kind, String text, Object value, int column) {
    }

    /** Thrown inside the lexer only, turned into a problem by {@link ExpressionCompiler}. */
    static final class LexFailure extends RuntimeException {
        final int column;

        LexFailure(int column, String message) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    private final String src;
    private int pos;

    private Lexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String src) {
        return new Lexer(src).all();
    }

    private List<Token> all() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpace();
            if (pos >= src.length()) {
                tokens.add(new Token(Kind.EOF, "", null, pos + 1));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipSpace() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '/' && pos + 1 < src.length() && src.charAt(pos + 1) == '/') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = pos;
        char c = src.charAt(pos);
        if (isDigit(c) || (c == '.' && pos + 1 < src.length() && isDigit(src.charAt(pos + 1)))) {
            return number();
        }
        if (c == '"' || c == '\'') {
            return string(start, false);
        }
        if ((c == 'r' || c == 'R') && pos + 1 < src.length() && isQuote(src.charAt(pos + 1))) {
            pos++;
            return string(start, true);
        }
        if ((c == 'b' || c == 'B') && pos + 1 < src.length() && isQuote(src.charAt(pos + 1))) {
            throw new LexFailure(start + 1, "byte strings are not supported");
        }
        if (isIdentStart(c)) {
            while (pos < src.length() && isIdentPart(src.charAt(pos))) {
                pos++;
            }
            String word = src.substring(start, pos);
            Kind kind = switch (word) {
                case "true" -> Kind.TRUE;
                case "false" -> Kind.FALSE;
                case "null" -> Kind.NULL;
                case "in" -> Kind.IN;
                default -> Kind.IDENT;
            };
            return new Token(kind, word, null, start + 1);
        }
        pos++;
        char n = pos < src.length() ? src.charAt(pos) : '\0';
        Kind kind;
        switch (c) {
            case '.' -> kind = Kind.DOT;
            case ',' -> kind = Kind.COMMA;
            case '(' -> kind = Kind.LPAREN;
            case ')' -> kind = Kind.RPAREN;
            case '[' -> kind = Kind.LBRACKET;
            case ']' -> kind = Kind.RBRACKET;
            case '{' -> kind = Kind.LBRACE;
            case '}' -> kind = Kind.RBRACE;
            case '?' -> kind = Kind.QUESTION;
            case ':' -> kind = Kind.COLON;
            case '-' -> kind = Kind.MINUS;
            case '+' -> kind = Kind.PLUS;
            case '*' -> kind = Kind.STAR;
            case '/' -> kind = Kind.SLASH;
            case '%' -> kind = Kind.PERCENT;
            case '!' -> kind = pair(n, '=', Kind.NE, Kind.NOT);
            case '<' -> kind = pair(n, '=', Kind.LE, Kind.LT);
            case '>' -> kind = pair(n, '=', Kind.GE, Kind.GT);
            case '=' -> {
                if (n != '=') {
                    throw new LexFailure(start + 1, "unexpected '=' (did you mean '=='?)");
                }
                pos++;
                kind = Kind.EQ;
            }
            case '&' -> {
                if (n != '&') {
                    throw new LexFailure(start + 1, "unexpected '&' (did you mean '&&'?)");
                }
                pos++;
                kind = Kind.AND;
            }
            case '|' -> {
                if (n != '|') {
                    throw new LexFailure(start + 1, "unexpected '|' (did you mean '||'?)");
                }
                pos++;
                kind = Kind.OR;
            }
            default -> throw new LexFailure(start + 1, "unexpected character '" + describe(c) + "'");
        }
        return new Token(kind, src.substring(start, pos), null, start + 1);
    }

    private Kind pair(char next, char expected, Kind two, Kind one) {
        if (next == expected) {
            pos++;
            return two;
        }
        return one;
    }

    private Token number() {
        int start = pos;
        if (src.startsWith("0x", pos) || src.startsWith("0X", pos)) {
            pos += 2;
            int digits = pos;
            while (pos < src.length() && Character.digit(src.charAt(pos), 16) >= 0) {
                pos++;
            }
            if (pos == digits) {
                throw new LexFailure(start + 1, "malformed hexadecimal integer");
            }
            rejectUnsigned(start);
            return new Token(Kind.INT, src.substring(start, pos), src.substring(start, pos), start + 1);
        }
        boolean isDouble = false;
        digits();
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
            isDouble = true;
            pos++;
            digits();
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int mark = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && isDigit(src.charAt(pos))) {
                digits();
                isDouble = true;
            } else {
                pos = mark;
            }
        }
        String text = src.substring(start, pos);
        if (isDouble) {
            return new Token(Kind.DOUBLE, text, Double.parseDouble(text), start + 1);
        }
        rejectUnsigned(start);
        return new Token(Kind.INT, text, text, start + 1);
    }

    private void rejectUnsigned(int start) {
        if (pos < src.length() && (src.charAt(pos) == 'u' || src.charAt(pos) == 'U')) {
            throw new LexFailure(start + 1, "unsigned integers are not supported");
        }
    }

    private void digits() {
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            pos++;
        }
    }

    private Token string(int start, boolean raw) {
        char quote = src.charAt(pos);
        boolean triple = src.startsWith(String.valueOf(quote).repeat(3), pos);
        pos += triple ? 3 : 1;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw new LexFailure(start + 1, "unterminated string");
            }
            char c = src.charAt(pos);
            if (c == quote && (!triple || src.startsWith(String.valueOf(quote).repeat(3), pos))) {
                pos += triple ? 3 : 1;
                return new Token(Kind.STRING, src.substring(start, pos), out.toString(), start + 1);
            }
            if (!triple && (c == '\n' || c == '\r')) {
                throw new LexFailure(start + 1, "unterminated string");
            }
            if (c == '\\' && !raw) {
                escape(out);
            } else if (c == '\\') {
                // a raw string keeps the backslash, but an escaped quote still does not end it
                out.append(c);
                pos++;
                if (pos < src.length() && src.charAt(pos) == quote) {
                    out.append(quote);
                    pos++;
                }
            } else {
                out.append(c);
                pos++;
            }
        }
    }

    private void escape(StringBuilder out) {
        int at = pos + 1;
        if (pos + 1 >= src.length()) {
            throw new LexFailure(at, "unterminated string");
        }
        char e = src.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case '\\', '?', '"', '\'', '`' -> out.append(e);
            case 'x', 'X' -> out.appendCodePoint(hex(2, at));
            case 'u' -> out.appendCodePoint(codePoint(hex(4, at), at));
            case 'U' -> out.appendCodePoint(codePoint(hex(8, at), at));
            case '0', '1', '2', '3' -> {
                int value = e - '0';
                for (int i = 0; i < 2; i++) {
                    if (pos >= src.length() || src.charAt(pos) < '0' || src.charAt(pos) > '7') {
                        throw new LexFailure(at, "malformed octal escape");
                    }
                    value = value * 8 + (src.charAt(pos++) - '0');
                }
                out.append((char) value);
            }
            default -> throw new LexFailure(at, "unknown escape sequence '\\" + describe(e) + "'");
        }
    }

    private int hex(int count, int at) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            int d = pos < src.length() ? Character.digit(src.charAt(pos), 16) : -1;
            if (d < 0) {
                throw new LexFailure(at, "malformed hexadecimal escape");
            }
            value = value * 16 + d;
            pos++;
        }
        return value;
    }

    private static int codePoint(int value, int at) {
        if (value < 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
            throw new LexFailure(at, "invalid unicode code point");
        }
        return value;
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    private static String describe(char c) {
        return c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
