package dev.toolguard.policy.expr;

/**
 * A piece of literal text that every match of a regular expression contains, found by a conservative scan
 * of the pattern (RE2 syntax). {@code matches} checks for it first and answers false without running the
 * matcher when the text is absent: a guardrail pattern such as {@code (?i)ignore (all|previous) instructions}
 * almost never matches, and a substring search is far cheaper than the automaton.
 *
 * <p>The scan only claims what it can prove: it reads the top level of the pattern (a leading flag group,
 * literal characters, escaped punctuation), treats every group, class, escape, wildcard or anchor as
 * unknown, drops a character a quantifier applies to, and gives up on a top-level alternation or anything
 * it does not know. Case-insensitive literals are ASCII only, and an input with any non-ASCII character
 * always goes to the matcher, since Unicode case folding makes ASCII letters match other characters.
 */
final class RequiredLiteral {

    private final String literal;
    private final boolean ignoreCase;

    private RequiredLiteral(String literal, boolean ignoreCase) {
        this.literal = literal;
        this.ignoreCase = ignoreCase;
    }

    /** The longest literal every match of {@code regex} contains, or null when none can be proven. */
    static RequiredLiteral of(String regex) {
        int n = regex.length();
        int i = 0;
        boolean ignoreCase = false;
        if (regex.startsWith("(?") && isFlagGroup(regex, 0)) {
            int close = regex.indexOf(')');
            for (int k = 2; k < close; k++) {
                char f = regex.charAt(k);
                if (f == 'i') {
                    ignoreCase = true;
                } else if (f != 's' && f != 'm' && f != 'U') {
                    return null; // a '-' clears flags: not worth reading
                }
            }
            i = close + 1;
        }
        StringBuilder run = new StringBuilder();
        String best = "";
        while (i < n) {
            char c = regex.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= n) {
                        return null;
                    }
                    char d = regex.charAt(i + 1);
                    if (d < 0x80 && !Character.isLetterOrDigit(d)) {
                        if (!append(run, d, ignoreCase)) {
                            best = longer(best, run);
                        }
                    } else if ("dDwWsSbBAztnrfva".indexOf(d) >= 0) {
                        best = longer(best, run);
                    } else {
                        return null; // \p{..}, \x{..}, \Q..\E, octal: not worth reading
                    }
                    i += 2;
                }
                case '(' -> {
                    if (i + 1 < n && regex.charAt(i + 1) == '?' && isFlagGroup(regex, i)) {
                        return null; // flags changed in the middle of the pattern
                    }
                    best = longer(best, run);
                    i = skipGroup(regex, i);
                    if (i < 0) {
                        return null;
                    }
                }
                case '[' -> {
                    best = longer(best, run);
                    i = skipClass(regex, i);
                    if (i < 0) {
                        return null;
                    }
                }
                case '*', '+', '?' -> {
                    dropLast(run);
                    best = longer(best, run);
                    i++;
                }
                case '{' -> {
                    int end = repetitionEnd(regex, i);
                    if (end < 0) {
                        return null;
                    }
                    dropLast(run);
                    best = longer(best, run);
                    i = end;
                }
                case '|', ')' -> {
                    return null; // an alternative at the top level may contain none of this run
                }
                case '.', '^', '$', ']', '}' -> {
                    best = longer(best, run);
                    i++;
                }
                default -> {
                    if (!append(run, c, ignoreCase)) {
                        best = longer(best, run);
                    }
                    i++;
                }
            }
        }
        best = longer(best, run);
        return best.isEmpty() ? null : new RequiredLiteral(best, ignoreCase);
    }

    /** False when {@code s} cannot match: it lacks the literal. True means the matcher must decide. */
    boolean mayMatch(String s) {
        if (!ignoreCase) {
            return s.contains(literal);
        }
        int n = s.length();
        for (int k = 0; k < n; k++) {
            if (s.charAt(k) >= 0x80) {
                return true;
            }
        }
        int m = literal.length();
        outer:
        for (int start = 0; start + m <= n; start++) {
            for (int j = 0; j < m; j++) {
                char c = s.charAt(start + j);
                if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + ('a' - 'A'));
                }
                if (c != literal.charAt(j)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    String literal() {
        return literal;
    }

    /** Appends a literal character; false (and nothing appended) for one the scan does not keep. */
    private static boolean append(StringBuilder run, char c, boolean ignoreCase) {
        if (c >= 0x80) {
            return false;
        }
        run.append(ignoreCase && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        return true;
    }

    /** Ends the current run, keeping the longer of it and the best so far. */
    private static String longer(String best, StringBuilder run) {
        String r = run.toString();
        run.setLength(0);
        return r.length() > best.length() ? r : best;
    }

    private static void dropLast(StringBuilder run) {
        if (run.length() > 0) {
            run.setLength(run.length() - 1);
        }
    }

    /** Whether the group at {@code open} is a flag group such as {@code (?i)} rather than {@code (?i:...)}. */
    private static boolean isFlagGroup(String p, int open) {
        for (int k = open + 2; k < p.length(); k++) {
            char c = p.charAt(k);
            if (c == ')') {
                return true;
            }
            if (c == ':' || !Character.isLetter(c) && c != '-') {
                return false;
            }
        }
        return false;
    }

    /** The index after the group that opens at {@code open}, or -1. */
    private static int skipGroup(String p, int open) {
        int depth = 0;
        int k = open;
        while (k < p.length()) {
            char c = p.charAt(k);
            if (c == '\\') {
                k += 2;
            } else if (c == '[') {
                k = skipClass(p, k);
                if (k < 0) {
                    return -1;
                }
            } else {
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return k + 1;
                }
                k++;
            }
        }
        return -1;
    }

    /** The index after the character class that opens at {@code open}, or -1. */
    private static int skipClass(String p, int open) {
        int k = open + 1;
        if (k < p.length() && p.charAt(k) == '^') {
            k++;
        }
        if (k < p.length() && p.charAt(k) == ']') {
            k++; // a ']' first in a class is a literal
        }
        while (k < p.length()) {
            char c = p.charAt(k);
            if (c == '\\') {
                k += 2;
            } else if (c == '[' && k + 1 < p.length() && p.charAt(k + 1) == ':') {
                int end = p.indexOf(":]", k + 2);
                if (end < 0) {
                    return -1;
                }
                k = end + 2;
            } else if (c == ']') {
                return k + 1;
            } else {
                k++;
            }
        }
        return -1;
    }

    /** The index after a repetition {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code open}, or -1. */
    private static int repetitionEnd(String p, int open) {
        int k = open + 1;
        int digits = 0;
        while (k < p.length() && Character.isDigit(p.charAt(k)) && p.charAt(k) < 0x80) {
            k++;
            digits++;
        }
        if (digits == 0 || k >= p.length()) {
            return -1;
        }
        if (p.charAt(k) == ',') {
            k++;
            while (k < p.length() && p.charAt(k) >= '0' && p.charAt(k) <= '9') {
                k++;
            }
        }
        return k < p.length() && p.charAt(k) == '}' ? k + 1 : -1;
    }
}
