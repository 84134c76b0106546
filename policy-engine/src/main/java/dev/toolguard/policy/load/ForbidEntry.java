package dev.toolguard.policy.load;

import dev.toolguard.policy.expr.Expression;

import java.util.List;

/**
 * One {@code forbid} entry (SPEC §3, step 1 of §5).
 *
 * @param index        its place in the bundle's concatenated forbid list (rule id {@code forbid[index]})
 * @param tools        the tool globs it applies to; empty means every tool
 * @param when         its condition, or null for always
 * @param reason       the text given to the caller, or null
 * @param enforced     false when its file is in shadow mode
 * @param whenReadsArgs true when the condition reads {@code args}, so it cannot be decided without them
 */
public record ForbidEntry(int index, List<ToolPattern> tools, Expression when, String reason, boolean enforced,
                          boolean whenReadsArgs) {

    public String ruleId() {
        return "forbid[" + index + "]";
    }

    public boolean appliesTo(String tool) {
        if (tools.isEmpty()) {
            return true;
        }
        for (ToolPattern p : tools) {
            if (p.matches(tool)) {
                return true;
            }
        }
        return false;
    }
}
