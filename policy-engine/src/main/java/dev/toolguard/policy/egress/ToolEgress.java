package dev.toolguard.policy.egress;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's {@code egress} entry, compiled: the kinds it lists are all its body may use (an allow-list), each with its
 * rule; rule ids ({@code tools.<tool>.egress.<kind>}) are made once here, not per egress.
 */
public final class ToolEgress {

    private final EgressRule[] rules = new EgressRule[EgressKind.values().length];
    private final String[] ruleIds = new String[EgressKind.values().length];
    /** The verdict of an egress each listed kind allows, made once: allowing allocates nothing. */
    private final EgressVerdict[] allowed = new EgressVerdict[EgressKind.values().length];
    private final String listed;

    /** @param tool the tool entry's name as written (rule ids use it) */
    public ToolEgress(String tool, Map<EgressKind, EgressRule> byKind) {
        List<String> keys = new ArrayList<>();
        for (EgressKind k : EgressKind.values()) {
            ruleIds[k.ordinal()] = ruleId(tool, k);
            EgressRule r = byKind.get(k);
            rules[k.ordinal()] = r;
            // an allowed egress is counted, not written: a tool's every SELECT would otherwise be a record
            allowed[k.ordinal()] = new EgressVerdict(true, true, false, ruleIds[k.ordinal()],
                    "allowed by " + ruleIds[k.ordinal()]);
            if (r != null) {
                keys.add(k.key());
            }
        }
        this.listed = keys.isEmpty() ? "no kind" : String.join(", ", keys);
    }

    /** {@code tools.<tool>.egress.<kind>} (SPEC §5's egress rule id). */
    public static String ruleId(String tool, EgressKind kind) {
        return "tools." + tool + ".egress." + kind.key();
    }

    /** The rule for {@code kind}, or null when the entry does not list it (then the tool may not use it). */
    public EgressRule rule(EgressKind kind) {
        return rules[kind.ordinal()];
    }

    /** The verdict of an egress of {@code kind} that this entry allows. */
    public EgressVerdict allowed(EgressKind kind) {
        return allowed[kind.ordinal()];
    }

    public String ruleId(EgressKind kind) {
        return ruleIds[kind.ordinal()];
    }

    /** The kinds listed, as a person reads them. */
    public String listed() {
        return listed;
    }

    /** The rules, by kind, for tools that print a bundle. */
    public Map<EgressKind, EgressRule> rules() {
        Map<EgressKind, EgressRule> out = new EnumMap<>(EgressKind.class);
        for (EgressKind k : EgressKind.values()) {
            if (rules[k.ordinal()] != null) {
                out.put(k, rules[k.ordinal()]);
            }
        }
        return out;
    }
}
