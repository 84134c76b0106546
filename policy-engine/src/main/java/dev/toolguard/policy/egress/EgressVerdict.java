package dev.toolguard.policy.egress;

/**
 * What the policy says of one egress.
 *
 * @param allowed  true when the egress may go ahead
 * @param enforced false for a denial of a shadow-mode file (or agent): written, not applied
 * @param record   true when an {@code egress} audit record is to be written: every denial (shadow-mode ones too), and
 *                 egress outside guarded calls under {@code outside_tools: audit} or {@code deny}; an allowed egress
 *                 inside a call is counted in the metrics, not written (a tool's every statement would be a record)
 * @param rule     the rule that decided ({@code tools.<tool>.egress.<kind>}, {@code sequences.<name>},
 *                 {@code egress.outside_tools})
 * @param reason   a sentence a person (and the model) can read
 */
public record EgressVerdict(boolean allowed, boolean enforced, boolean record, String rule, String reason) {

    /** Egress outside any guarded call under {@code outside_tools: allow}: nothing to decide, nothing to write. */
    public static final EgressVerdict UNWATCHED = new EgressVerdict(true, true, false, EgressDefaults.OUTSIDE_RULE,
            "egress outside guarded calls is allowed (egress.outside_tools: allow)");

    /** Whether the egress must be stopped. */
    public boolean blocks() {
        return !allowed && enforced;
    }

    /** The same verdict, not enforced (a shadow-mode denial). */
    public EgressVerdict unenforced() {
        return enforced ? new EgressVerdict(allowed, false, record, rule, reason) : this;
    }
}
