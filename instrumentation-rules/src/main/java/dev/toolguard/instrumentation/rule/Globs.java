package dev.toolguard.instrumentation.rule;

import java.util.regex.Pattern;

/**
 * Name globs of {@code rules.yaml}: in class names {@code *} is any run within one package segment and
 * {@code **} any run across segments ({@code com.acme.**}); in method names {@code *} is any run.
 */
public final class Globs {

    private Globs() {
    }

    /** A glob over dotted class names. */
    public static Pattern className(String glob) {
        return compile(glob, "[^.]*");
    }

    /** A glob over method names. */
    public static Pattern methodName(String glob) {
        return compile(glob, ".*");
    }

    /** True when the glob names exactly one thing: no {@code *} in it. */
    public static boolean exact(String glob) {
        return glob.indexOf('*') < 0;
    }

    /** The part of a class glob before its first {@code *}: every class it matches starts with it. */
    public static String literalPrefix(String glob) {
        int star = glob.indexOf('*');
        return star < 0 ? glob : glob.substring(0, star);
    }

    private static Pattern compile(String glob, String singleStar) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    re.append(".*");
                    i += 2;
                } else {
                    re.append(singleStar);
                    i++;
                }
            } else {
                int next = glob.indexOf('*', i);
                int end = next < 0 ? glob.length() : next;
                re.append(Pattern.quote(glob.substring(i, end)));
                i = end;
            }
        }
        return Pattern.compile(re.toString());
    }
}
