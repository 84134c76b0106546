package dev.toolguard.agent.instrument.check;

import dev.toolguard.instrumentation.Nearest;
import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.rule.ToolRule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Unmatched intent is loud (SPEC §7): a {@code rules.yaml} entry that matched a loaded class but none of its methods
 * is an error, one that matched no class within the grace period a warning, each said on standard error with the
 * entry's place and the nearest names, and counted in {@code /metrics}. With {@code instrumentation.require_matches}
 * either makes every guarded call deny: the tools meant are not known, so nothing runs on a guess.
 */
public final class UnmatchedEntries {

    private final boolean required;
    private final Consumer<String> diagnostics;
    /** Entry place to what is wrong with it: {@code method_missing} or {@code class_missing}. */
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private volatile String refusal;

    public UnmatchedEntries(boolean required, Consumer<String> diagnostics) {
        this.required = required;
        this.diagnostics = diagnostics;
    }

    /** Whether a class whose entry missed its methods has every public method guarded, to be denied. */
    public boolean required() {
        return required;
    }

    /** An entry matched a class but none of its methods. */
    public void methodMissing(ToolRules.Miss miss) {
        String where = miss.rule().origin();
        if (problems.putIfAbsent(where + " " + miss.className(), "method_missing") != null) {
            return;
        }
        String text = where + ": class " + miss.className() + " has no method matching '" + miss.rule().methodGlob() + "'"
                + didYouMean(miss.nearest());
        diagnostics.accept("toolguard: error: " + text + consequence());
        if (required) {
            refusal = refusal != null ? refusal : "a rules.yaml entry matches nothing: " + text
                    + " (instrumentation.require_matches)";
        }
    }

    /**
     * Says every entry that has matched no class yet; called once the grace period is over.
     *
     * @param loadedClassNames the classes loaded by then, for the nearest names
     */
    public synchronized void noClassMatched(List<ToolRule> entries, Supplier<List<String>> loadedClassNames) {
        // synchronized: the check at exit waits for a check of the timer's still saying what it found
        List<String> names = null;
        for (ToolRule r : entries) {
            if (problems.putIfAbsent(r.origin(), "class_missing") != null) {
                continue;
            }
            if (names == null) {
                names = loadedClassNames.get();
            }
            String typed = r.entry();
            String text = r.origin() + ": no loaded class matches " + typed + didYouMean(
                    Nearest.names(typed.substring(typed.indexOf(' ') + 1), names));
            diagnostics.accept("toolguard: warning: " + text + consequence());
            if (required) {
                refusal = refusal != null ? refusal : "a rules.yaml entry matches nothing: " + text
                        + " (instrumentation.require_matches)";
            }
        }
    }

    /** Why every guarded call is denied, or null: only with {@code require_matches}, once an entry matched nothing. */
    public String refusal() {
        return refusal;
    }

    /** Each entry (and class) that matched nothing, and how, for {@code /metrics}. */
    public Map<String, String> problems() {
        return new LinkedHashMap<>(problems);
    }

    private String consequence() {
        return required ? "; every guarded call is denied (instrumentation.require_matches)"
                : "; the tools it meant are not guarded";
    }

    private static String didYouMean(List<String> nearest) {
        return nearest.isEmpty() ? "" : " (did you mean " + String.join(", ", nearest) + "?)";
    }
}
