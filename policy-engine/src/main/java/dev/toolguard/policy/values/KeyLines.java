package dev.toolguard.policy.values;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a YAML file that cannot be trusted can still be read to say, line by line: its {@code key: value} pairs and
 * its list items, each with its line and indent. No YAML parser is involved, so a syntax error, a tab, a duplicate
 * key or bytes that are not UTF-8 stop nothing.
 *
 * <p>Why it exists: the agent must not let a tool run undecided because the file that names it has a mistake
 * (SPEC §13.1, §7). A {@code rules.yaml} or {@code toolguard.yaml} with problems is rejected by
 * {@link LocatedReader}, and every guarded call is then denied; but the methods a broken file names are only guarded
 * at all if something reads their names. This reads them as well as a broken file allows, leaning towards reading too
 * much: whatever it finds is only ever used to guard more, and every call it guards is denied. It is never used
 * to allow anything, nor for a file that read cleanly.
 */
public final class KeyLines {

    /**
     * One pair or list item.
     *
     * @param line    1-based line number
     * @param indent  columns before the key or the item's dash
     * @param item    whether the pair or value starts a list item ({@code - key: value}, {@code - value})
     * @param key     the key as written, unquoted; null for a bare list item
     * @param value   the value, unquoted and trimmed; empty when the value follows on the next lines
     */
    public record Line(int line, int indent, boolean item, String key, String value) {
    }

    private static final Pattern PAIR = Pattern.compile("^(\\s*)(-\\s+)?[\"']?([A-Za-z_][\\w.-]*)[\"']?\\s*:(?:\\s+(.*)|\\s*)$");
    private static final Pattern ITEM = Pattern.compile("^(\\s*)-\\s+(.*)$");

    private KeyLines() {
    }

    /** The pairs and items of {@code file}, at most {@link LocatedReader#MAX_FILE_BYTES} of it; none when it cannot be read. */
    public static List<Line> of(Path file) {
        try {
            byte[] bytes;
            try (var in = Files.newInputStream(file)) {
                bytes = in.readNBytes((int) LocatedReader.MAX_FILE_BYTES);
            }
            // ISO-8859-1 maps every byte: names are ASCII, and bytes that are not UTF-8 must not stop the reading
            return of(new String(bytes, StandardCharsets.ISO_8859_1));
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** The pairs and items of {@code text}; a flow map on one line ({@code - {class: A, method: b}}) gives a pair each. */
    public static List<Line> of(String text) {
        List<Line> out = new ArrayList<>();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = withoutComment(lines[i]);
            if (line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            if (brace >= 0) {
                flowMap(line, brace, i + 1, out);
                continue;
            }
            Matcher pair = PAIR.matcher(line);
            if (pair.matches()) {
                int indent = pair.group(1).length();
                out.add(new Line(i + 1, indent, pair.group(2) != null, pair.group(3), unquoted(pair.group(4))));
                continue;
            }
            Matcher item = ITEM.matcher(line);
            if (item.matches()) {
                out.add(new Line(i + 1, item.group(1).length(), true, null, unquoted(item.group(2))));
            }
        }
        return out;
    }

    /** The values of a list written inline ({@code [a, b]}) or as one plain value ({@code a}). */
    public static List<String> inlineList(String value) {
        String v = value.strip();
        if (v.startsWith("[")) {
            v = v.substring(1, v.endsWith("]") ? v.length() - 1 : v.length());
        }
        List<String> out = new ArrayList<>();
        for (String part : v.split(",")) {
            String s = unquoted(part);
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static void flowMap(String line, int brace, int number, List<Line> out) {
        String before = line.substring(0, brace);
        boolean item = before.strip().startsWith("-");
        int indent = before.length() - before.stripLeading().length();
        String inside = line.substring(brace + 1);
        int close = inside.lastIndexOf('}');
        if (close >= 0) {
            inside = inside.substring(0, close);
        }
        for (String part : inside.split(",")) {
            int colon = part.indexOf(':');
            if (colon > 0) {
                out.add(new Line(number, indent, item, unquoted(part.substring(0, colon)), unquoted(part.substring(colon + 1))));
                item = false; // the first pair starts the item, the others belong to it
            }
        }
    }

    /** A line without its {@code # comment}: a {@code #} at the start or after a blank, outside quotes. */
    private static String withoutComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquoted(String value) {
        if (value == null) {
            return "";
        }
        String v = value.strip();
        if (v.endsWith(",")) {
            v = v.substring(0, v.length() - 1).strip();
        }
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            v = v.substring(1, v.length() - 1);
        }
        return v.strip();
    }
}
