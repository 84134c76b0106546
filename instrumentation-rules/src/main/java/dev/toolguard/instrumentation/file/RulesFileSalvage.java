package dev.toolguard.instrumentation.file;

import dev.toolguard.instrumentation.rule.AnnotatedToolRule;
import dev.toolguard.instrumentation.rule.ClassToolRule;
import dev.toolguard.instrumentation.rule.SubtypeToolRule;
import dev.toolguard.instrumentation.rule.ToolRule;
import dev.toolguard.policy.load.Nearest;
import dev.toolguard.policy.values.KeyLines;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The entries a {@code rules.yaml} with problems can still be read to name, so that the methods it meant are guarded,
 * and denied, rather than left to run undecided (SPEC §13.1; the agent denies every guarded call while its
 * configuration has errors).
 *
 * <p>It reads the file's lines, not its YAML ({@link KeyLines}), so a syntax error stops nothing. A key a few letters
 * from {@code class}, {@code implements}, {@code annotation} or {@code method} counts as that key, since a mistyped key
 * is the mistake it most often has to survive. An entry with no readable method names every method of what it
 * names: the tool meant is not known, so nothing of it runs. Reading too much only guards more, and everything
 * guarded is denied; the entries of a file without problems never come from here.
 */
final class RulesFileSalvage {

    private static final List<String> KINDS = List.of("class", "implements", "annotation");
    /** Every key an entry may have: a typed key is taken for the nearest of these, and used only if it is a kind or method. */
    private static final List<String> KEYS = List.of("class", "implements", "annotation", "method", "name", "name_from",
            "parameters", "tools");
    /** A class or annotation name or glob: what a value must look like to be taken for one. */
    private static final Pattern TYPE = Pattern.compile("[\\w$.*?]+");
    private static final Pattern METHOD = Pattern.compile("[\\w$*?]+");

    private RulesFileSalvage() {
    }

    static List<ToolRule> of(String sourceName, List<KeyLines.Line> lines) {
        List<ToolRule> out = new ArrayList<>();
        Entry entry = null;
        for (KeyLines.Line line : lines) {
            String key = line.key() == null ? "" : keyMeant(line.key());
            boolean kind = KINDS.contains(key);
            // a dash with a key starts an entry, and so does a second kind in one entry (two entries, read apart);
            // a bare item ({@code - customer_id} of parameters) belongs to the entry it is in
            if (line.item() && line.key() != null || entry != null && entry.kind != null && kind) {
                add(entry, sourceName, out);
                entry = new Entry();
            }
            if (!kind && !key.equals("method")) {
                continue;
            }
            if (entry == null) {
                entry = new Entry();
            }
            if (kind && entry.kind == null && TYPE.matcher(line.value()).matches()) {
                entry.kind = key;
                entry.type = line.value();
                entry.where = sourceName + ":" + line.line() + ":" + (line.indent() + 1);
            } else if (key.equals("method") && METHOD.matcher(line.value()).matches()) {
                entry.method = line.value();
            }
        }
        add(entry, sourceName, out);
        return List.copyOf(out);
    }

    private static String keyMeant(String typed) {
        if (KEYS.contains(typed)) {
            return typed;
        }
        List<String> near = Nearest.names(typed, KEYS);
        return near.isEmpty() ? "" : near.get(0);
    }

    private static void add(Entry e, String sourceName, List<ToolRule> out) {
        if (e == null || e.kind == null) {
            return;
        }
        // no method read: every method of what the entry names, since the one meant is not known
        String method = e.method != null ? e.method : "*";
        try {
            out.add(switch (e.kind) {
                case "class" -> new ClassToolRule(e.type, method, null, List.of(), e.where);
                case "implements" -> new SubtypeToolRule(e.type, method, null, List.of(), e.where);
                default -> new AnnotatedToolRule("rules", e.type, null, null, e.method, List.of());
            });
        } catch (RuntimeException notAGlob) {
            // a value no glob can be made of names nothing this reading can guard
        }
    }

    private static final class Entry {
        String kind;
        String type;
        String method;
        String where;
    }
}
