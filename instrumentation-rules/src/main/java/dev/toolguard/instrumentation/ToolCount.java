package dev.toolguard.instrumentation;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How many tools are guarded, by the module (rule set) that made each one a tool, as the start line and the
 * {@code tools} command say it: {@code 7 guarded (langchain4j 4, rules 3)}. Modules in name order, {@code rules}
 * (the rules files) last.
 */
public final class ToolCount {

    private ToolCount() {
    }

    public static String of(Collection<ToolMethod> tools) {
        if (tools.isEmpty()) {
            return "0 guarded";
        }
        Map<String, Integer> byModule = new TreeMap<>((a, b) -> a.equals(b) ? 0
                : a.equals("rules") ? 1 : b.equals("rules") ? -1 : a.compareTo(b));
        for (ToolMethod t : tools) {
            byModule.merge(t.ruleSet(), 1, Integer::sum);
        }
        return tools.size() + " guarded (" + byModule.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }
}
