package dev.toolguard.policy.values;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One-line hints for the YAML syntax errors people make most in policy and config files (issue 17), shown after
 * SnakeYAML's located message, which names the parser's state rather than the mistake.
 */
final class YamlHints {

    /** {@code key: "a" in args.tags}: a value that starts with a quote and goes on after the closing quote. */
    private static final Pattern QUOTED_THEN_MORE =
            Pattern.compile("^\\s*(?:-\\s+)?([A-Za-z_][\\w.-]*):\\s+([\"']).*?\\2\\s*[^\\s#].*");
    /** {@code key: text: more}: a plain value holding {@code ": "}, which YAML reads as a second key. */
    private static final Pattern COLON_IN_VALUE = Pattern.compile("^\\s*(?:-\\s+)?[^:#'\"]+:\\s+[^'\"\\[{\\s][^#]*?:(?:\\s.*|)$");
    /** Keys whose values are expressions (SPEC §4). */
    private static final Set<String> EXPRESSION_KEYS = Set.of("when", "cost", "key", "lock");

    private YamlHints() {
    }

    /** The hint for SnakeYAML's {@code problem} met on 0-based {@code line} of {@code text}, or null when none fits. */
    static String hint(String problem, String text, int line) {
        if (problem.contains("\\t(TAB)") || problem.contains("'\\t'")) {
            return "indent with spaces: YAML does not allow tabs for indentation";
        }
        String[] lines = text.split("\r?\n", -1);
        String at = line >= 0 && line < lines.length ? lines[line] : "";
        if (problem.startsWith("expected <block end>, but found '<scalar>'")) {
            Matcher m = QUOTED_THEN_MORE.matcher(at);
            if (m.matches()) {
                String key = m.group(1);
                return EXPRESSION_KEYS.contains(key)
                        ? "quote the whole expression, e.g. " + key + ": '\"a\" in args.tags'"
                        : "quote the whole value, e.g. " + key + ": '\"a\" and more'";
            }
        }
        if (problem.startsWith("mapping values are not allowed here") && COLON_IN_VALUE.matcher(at).matches()) {
            return "quote a value that holds ': ', e.g. reason: 'note: refunds over 200'";
        }
        if (problem.startsWith("expected <block end>") || problem.startsWith("mapping values are not allowed here")) {
            return "check the indentation: the keys of one mapping start in the same column, and a nested value"
                    + " is indented further than its key";
        }
        return null;
    }
}
