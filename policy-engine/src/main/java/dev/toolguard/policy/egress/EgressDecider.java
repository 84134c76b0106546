package dev.toolguard.policy.egress;

/**
 * The egress check of SPEC §18 as a pure function of the bundle's egress rules and one sensed egress: no state, no
 * lock, and no allocation when the egress is allowed. Sequences over egress events, which need the session's history,
 * are the engine's next step ({@code PolicyEngine.decideEgress}).
 */
public final class EgressDecider {

    /** Allowed by {@code default_in_tools: allow}: the same verdict for every tool without an entry. */
    static final EgressVerdict DEFAULT_ALLOWS = new EgressVerdict(true, true, false, "egress.default_in_tools",
            "allowed by egress.default_in_tools (the tool has no egress entry)");
    private static final EgressVerdict OUTSIDE_AUDITED = new EgressVerdict(true, true, true,
            EgressDefaults.OUTSIDE_RULE, "egress outside guarded calls is allowed and audited (egress.outside_tools: audit)");
    private static final EgressVerdict OUTSIDE_DENIED = new EgressVerdict(false, true, true,
            EgressDefaults.OUTSIDE_RULE, "egress outside guarded calls is denied (egress.outside_tools: deny)");

    private EgressDecider() {
    }

    /**
     * @param defaults the bundle's top-level {@code egress}
     * @param tool     the running guarded call's tool, or null for egress outside any guarded call
     * @param entry    the tool's compiled {@code egress} entry, or null when its policy has none (or it has no policy)
     * @param request  what the sensor saw
     * @return never null; a denial names the rule {@code tools.<tool>.egress.<kind>} and why
     */
    public static EgressVerdict decide(EgressDefaults defaults, String tool, ToolEgress entry, EgressRequest request) {
        EgressKind kind = request.kind();
        if (tool == null) {
            return switch (defaults.outsideTools()) {
                case ALLOW -> EgressVerdict.UNWATCHED;
                case AUDIT -> OUTSIDE_AUDITED;
                case DENY -> OUTSIDE_DENIED;
            };
        }
        if (entry == null) {
            return defaults.defaultInTools() == EgressDefaults.Outside.DENY
                    ? denied(ToolEgress.ruleId(tool, kind), "tool '" + tool + "' has no egress entry and"
                            + " egress.default_in_tools is deny, so it may not use " + kind.key()
                            + describe(request))
                    : DEFAULT_ALLOWS;
        }
        EgressRule rule = entry.rule(kind);
        if (rule == null) {
            return denied(entry.ruleId(kind), "tool '" + tool + "' may not use " + kind.key() + describe(request)
                    + " (its egress lists " + entry.listed() + ")");
        }
        String violation = rule.violation(request);
        if (violation == null) {
            return entry.allowed(kind);
        }
        return denied(entry.ruleId(kind), "tool '" + tool + "' may not make this " + kind.key() + " egress ("
                + violation + ")");
    }

    /**
     * Whether some egress of {@code kind} by a call of the tool could be denied by its entry or the defaults: true
     * unless the kind is allowed outright. Where no sensor can see that kind, such a tool's calls are denied.
     */
    public static boolean restricts(EgressDefaults defaults, ToolEgress entry, EgressKind kind) {
        if (entry == null) {
            return defaults.defaultInTools() == EgressDefaults.Outside.DENY;
        }
        EgressRule rule = entry.rule(kind);
        return rule == null || rule.mode() != EgressRule.Mode.ALLOW;
    }

    private static String describe(EgressRequest request) {
        return request.problem() != null ? "" : " (" + request.describe() + ")";
    }

    private static EgressVerdict denied(String rule, String reason) {
        return new EgressVerdict(false, true, true, rule, reason);
    }
}
