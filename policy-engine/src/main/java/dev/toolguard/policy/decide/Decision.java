package dev.toolguard.policy.decide;

import dev.toolguard.policy.load.BundleSignature;

import java.util.List;

/**
 * The answer for one call (SPEC §5): what to do, whether it is enforced, and why.
 * Immutable. The same reason text goes to the model, the exception and the audit log.
 *
 * @param action        allow, deny or require_approval
 * @param enforced      false in shadow mode: decided and audited, but nothing is blocked
 * @param reason        a sentence a person can read
 * @param rule          the rule id that decided (SPEC §5 table)
 * @param field         the failing JSON pointer (e.g. {@code /amount}) or argument, or null
 * @param policyName    the bundle's metadata.name (null when no policy is loaded)
 * @param policyVersion the bundle's metadata.version
 * @param policySha256  the bundle's sha256
 * @param latencyNanos  time spent deciding
 * @param approval      for require_approval: how to wait; otherwise null
 * @param trace         every step that ran, in order (for explain and the audit record's errors)
 * @param origin        what made the decision: the policy, or a call that could not be read, or an internal error;
 *                      callers act on this, never on the reason's text
 * @param policySignature the revision and key of the signed bundle that decided (SPEC §15), or null when unsigned
 */
public record Decision(
        Action action,
        boolean enforced,
        String reason,
        String rule,
        String field,
        String policyName,
        String policyVersion,
        String policySha256,
        long latencyNanos,
        ApprovalSpec approval,
        List<TraceStep> trace,
        Origin origin,
        BundleSignature policySignature) {

    /** What made a decision. */
    public enum Origin {
        /** The bundle's steps (SPEC §5), or {@code no_policy} when nothing is loaded. */
        POLICY,
        /** The call's arguments could not be turned into values a policy can see: always a denial. */
        INVALID_CALL,
        /** A failure while deciding or auditing: decided by {@code on_error}. */
        INTERNAL_ERROR,
        /** The framework integration that serves the tool does not fit the framework found (SPEC §13.4): a denial. */
        INSTRUMENTATION
    }

    /** A decision of a bundle loaded without a signature. */
    public Decision(Action action, boolean enforced, String reason, String rule, String field, String policyName,
                    String policyVersion, String policySha256, long latencyNanos, ApprovalSpec approval,
                    List<TraceStep> trace, Origin origin) {
        this(action, enforced, reason, rule, field, policyName, policyVersion, policySha256, latencyNanos, approval,
                trace, origin, null);
    }

    /** A decision made by the policy ({@link Origin#POLICY}). */
    public Decision(Action action, boolean enforced, String reason, String rule, String field, String policyName,
                    String policyVersion, String policySha256, long latencyNanos, ApprovalSpec approval,
                    List<TraceStep> trace) {
        this(action, enforced, reason, rule, field, policyName, policyVersion, policySha256, latencyNanos, approval,
                trace, Origin.POLICY, null);
    }

    public boolean allowed() {
        return action == Action.ALLOW;
    }

    /** True when the call must not run: a denial that is enforced. */
    public boolean blocks() {
        return action != Action.ALLOW && enforced;
    }

    /**
     * The message for the model and for {@code ToolCallDeniedException}, e.g.
     * {@code Denied by policy support-agent: refund amount not allowed for your role [tools.issue_refund.rules[3]]}.
     */
    public String denialMessage() {
        // a framework that does not fit is ToolGuard's finding, not the policy's
        String who = policyName == null || origin == Origin.INSTRUMENTATION ? "ToolGuard" : "policy " + policyName;
        return "Denied by " + who + ": " + reason + " [" + rule + "]";
    }

    /**
     * How the shared state store stood for this call when it did not decide it (SPEC §14): {@code "unavailable"}
     * (allowed without it), {@code "local"} (decided on this process's memory); null when it answered or is not used.
     */
    public String state() {
        if (trace == null) {
            return null;
        }
        for (int i = 0, n = trace.size(); i < n; i++) {
            TraceStep step = trace.get(i);
            if (step != null && Trace.STATE.equals(step.outcome())) {
                return step.detail();
            }
        }
        return null;
    }

    public Decision withLatency(long nanos) {
        return new Decision(action, enforced, reason, rule, field, policyName, policyVersion, policySha256, nanos, approval, trace, origin, policySignature);
    }

    public Decision withEnforced(boolean enforced) {
        return new Decision(action, enforced, reason, rule, field, policyName, policyVersion, policySha256, latencyNanos, approval, trace, origin, policySignature);
    }

    public Decision withOrigin(Origin origin) {
        return new Decision(action, enforced, reason, rule, field, policyName, policyVersion, policySha256, latencyNanos, approval, trace, origin, policySignature);
    }
}
