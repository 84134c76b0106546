package dev.toolguard.policy.load;

import java.time.Duration;
import java.util.List;

/**
 * One {@code sequences} entry: deny a tool matching {@code deny} when a tool matching {@code after} was
 * allowed earlier in the same session, within {@code within}.
 *
 * @param name     its name (rule id {@code sequences.<name>})
 * @param after    globs of the tools that arm it
 * @param deny     globs of the tools it denies
 * @param within   how far back to look; null means the whole session
 * @param reason   the text given to the caller, or null
 * @param enforced false when its file is in shadow mode
 */
public record SequenceRule(String name, List<ToolPattern> after, List<ToolPattern> deny, Duration within,
                           String reason, boolean enforced) {

    public String ruleId() {
        return "sequences." + name;
    }

    /** What starts an entry that names an egress event rather than tools (SPEC §18). */
    public static final String EGRESS_PREFIX = "egress:";

    /**
     * Whether it denies a call of {@code tool}. Only tool globs count: a tool glob never matches an egress event and
     * an egress entry never matches a tool, so {@code deny: ["*"]} does not stop egress.
     */
    public boolean denies(String tool) {
        return anyOfKind(deny, tool);
    }

    /** Whether it denies the egress event {@code event} ({@code egress:http:POST:api.example}). */
    public boolean deniesEvent(String event) {
        return anyOfKind(deny, event);
    }

    /** Whether a call of {@code name} (a tool, or an egress event, as the history holds them) arms it. */
    public boolean armedBy(String name) {
        return anyOfKind(after, name);
    }

    /** True when its {@code after} or {@code deny} names an egress event. */
    public boolean namesEgress() {
        for (List<ToolPattern> list : List.of(after, deny)) {
            for (ToolPattern p : list) {
                if (p.pattern().startsWith(EGRESS_PREFIX)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anyOfKind(List<ToolPattern> patterns, String name) {
        boolean event = name.startsWith(EGRESS_PREFIX);
        for (int i = 0; i < patterns.size(); i++) {
            ToolPattern p = patterns.get(i);
            if (p.pattern().startsWith(EGRESS_PREFIX) == event && p.matches(name)) {
                return true;
            }
        }
        return false;
    }
}
