package dev.toolguard.policy.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a replay found: how many recorded decisions kept, flipped or changed otherwise, which could not be told, every
 * call that did not stay unchanged, and the warnings met reading the logs.
 *
 * @param candidate {@code <name> <version> sha256:<hex>} of the candidate bundle
 * @param logs      the audit files, in the order read
 * @param counts    decisions by change, every change present (zero when none)
 * @param changed   every call whose decision changed or is undecidable, in log order
 * @param warnings  chain breaks and torn lines, {@code file:line: what}
 */
public record ReplayReport(String candidate, List<Path> logs, Map<ReplayedCall.Change, Long> counts,
                           List<ReplayedCall> changed, List<String> warnings) {

    public ReplayReport {
        logs = List.copyOf(logs);
        EnumMap<ReplayedCall.Change, Long> all = new EnumMap<>(ReplayedCall.Change.class);
        for (ReplayedCall.Change c : ReplayedCall.Change.values()) {
            all.put(c, counts.getOrDefault(c, 0L));
        }
        counts = java.util.Collections.unmodifiableMap(all);
        changed = List.copyOf(changed);
        warnings = List.copyOf(warnings);
    }

    public long count(ReplayedCall.Change change) {
        return counts.get(change);
    }

    /** Every decision replayed. */
    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The changed and undecidable calls grouped by tool, then by rule ({@code <old rule> -> <new rule>}), tools and
     * rules in name order, calls in log order within a group.
     */
    public Map<String, Map<String, List<ReplayedCall>>> byToolAndRule() {
        List<ReplayedCall> sorted = new ArrayList<>(changed);
        sorted.sort(Comparator.comparing((ReplayedCall c) -> c.recorded().call().tool())
                .thenComparing(ReplayReport::ruleChange));
        Map<String, Map<String, List<ReplayedCall>>> groups = new LinkedHashMap<>();
        for (ReplayedCall c : sorted) {
            groups.computeIfAbsent(c.recorded().call().tool(), t -> new LinkedHashMap<>())
                    .computeIfAbsent(ruleChange(c), r -> new ArrayList<>()).add(c);
        }
        return groups;
    }

    /**
     * {@code tools.x.rules[0] -> tools.x.rules[3]}, or the one rule when it stayed the same; for an undecidable call
     * the recorded rule alone, since the candidate's rule was found on a hidden value.
     */
    public static String ruleChange(ReplayedCall c) {
        String before = String.valueOf(c.recorded().rule());
        if (c.change() == ReplayedCall.Change.UNDECIDABLE) {
            return before;
        }
        String after = String.valueOf(c.decision().rule());
        return before.equals(after) ? before : before + " -> " + after;
    }
}
