package dev.toolguard.agent.instrument.check;

import dev.toolguard.policy.load.Nearest;
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
 * either makes every guarded call deny: the tools meant are not known, so nothing runs on a guess. Without it, an
 * entry that names one class (no glob) and none of its methods still refuses the class's public methods (the
 * installer does that): a mistyped method name must not leave the tool it meant running undecided.
 */
public final class UnmatchedEntries {

    private final boolean required;
    private final Consumer<String> diagnostics;
    /** Entry place (and class) to what is wrong with it. */
    private final Map<String, Finding> problems = new ConcurrentHashMap<>();

    /**
     * One entry that matched nothing.
     *
     * @param problem {@code method_missing} or {@code class_missing}
     * @param message what is said on stderr, with the entry's place and the nearest names
     */
    public record Finding(String entry, String problem, String message) {
    }
    private volatile String refusal;

    public UnmatchedEntries(boolean required, Consumer<String> diagnostics) {
        this.required = required;
        this.diagnostics = diagnostics;
    }

    /** Whether a class whose entry missed its methods has every public method guarded, to be denied. */
    public boolean required() {
        return required;
    }

    /** An entry matched a class but none of its methods (and when it names that one class, the class is refused). */
    public void methodMissing(ToolRules.Miss miss) {
        String where = miss.rule().origin() + " " + miss.className();
        String text = methodMissingText(miss);
        if (problems.putIfAbsent(where, new Finding(where, "method_missing", text)) != null) {
            return;
        }
        diagnostics.accept("toolguard: error: " + text + (miss.refusesTheClass() && !required
                ? "; none of the class's public methods may run until the entry is mended" : consequence()));
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
            if (problems.containsKey(r.origin())) {
                continue;
            }
            if (names == null) {
                names = loadedClassNames.get();
            }
            String text = noClassText(r, "loaded class", names);
            if (problems.putIfAbsent(r.origin(), new Finding(r.origin(), "class_missing", text)) != null) {
                continue;
            }
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
        Map<String, String> out = new LinkedHashMap<>();
        problems.forEach((where, f) -> out.put(where, f.problem()));
        return out;
    }

    /** What was found so far, for the start record: {@code {entry, problem, message}} each, in entry order. */
    public List<Map<String, Object>> findings() {
        return problems.values().stream().sorted(java.util.Comparator.comparing(Finding::entry))
                .map(f -> Map.<String, Object>of("entry", f.entry(), "problem", f.problem(), "message", f.message()))
                .toList();
    }

    private String consequence() {
        return required ? "; every guarded call is denied (instrumentation.require_matches)"
                : "; the tools it meant are not guarded";
    }

    /** {@code rules.yaml:3:5: class com.acme.CrmClient has no method matching 'updateAcount' (did you mean ...?)}. */
    public static String methodMissingText(ToolRules.Miss miss) {
        return miss.rule().origin() + ": class " + miss.className() + " has no method matching '"
                + miss.rule().methodGlob() + "'" + didYouMean(miss.nearest());
    }

    /**
     * {@code rules.yaml:3:5: no loaded class matches class com.acme.CrmClinet (did you mean com.acme.CrmClient?)}.
     *
     * @param which      what was searched: {@code loaded class}, {@code class on the class path}
     * @param classNames the classes searched, for the nearest names
     */
    public static String noClassText(ToolRule r, String which, List<String> classNames) {
        String typed = r.entry();
        return r.origin() + ": no " + which + " matches " + typed
                + didYouMean(Nearest.names(typed.substring(typed.indexOf(' ') + 1), classNames));
    }

    private static String didYouMean(List<String> nearest) {
        return nearest.isEmpty() ? "" : " (did you mean " + String.join(", ", nearest) + "?)";
    }
}
