package dev.toolguard.policy.load;

/**
 * A tool name or glob as written in a policy: {@code *} matches any run of characters, dots included;
 * a name without {@code *} matches only itself. Matching allocates nothing.
 */
public final class ToolPattern {

    private final String pattern;
    private final boolean exact;

    private ToolPattern(String pattern) {
        this.pattern = pattern;
        this.exact = pattern.indexOf('*') < 0;
    }

    public static ToolPattern of(String pattern) {
        return new ToolPattern(pattern);
    }

    public String pattern() {
        return pattern;
    }

    /** True when the pattern has no {@code *}. */
    public boolean exact() {
        return exact;
    }

    public boolean matches(String name) {
        if (name == null) {
            return false;
        }
        return exact ? pattern.equals(name) : globMatches(pattern, name);
    }

    /**
     * Glob matching with {@code *} as the only wildcard, in linear passes with single backtracking to the
     * last star (the classic two-pointer method), so hostile names cannot make it exponential.
     */
    public static boolean globMatches(String glob, String text) {
        int g = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (g < glob.length() && glob.charAt(g) == '*') {
                star = g++;
                mark = t;
            } else if (g < glob.length() && glob.charAt(g) == text.charAt(t)) {
                g++;
                t++;
            } else if (star >= 0) {
                g = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (g < glob.length() && glob.charAt(g) == '*') {
            g++;
        }
        return g == glob.length();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
