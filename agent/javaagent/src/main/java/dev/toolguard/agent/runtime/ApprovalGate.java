package dev.toolguard.agent.runtime;

import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;

/**
 * Turns a {@code require_approval} decision into the decision the call ends with: allowed once an approver
 * said yes (wait mode), denied with the approval id (ticket mode), or denied when nobody decided in time.
 */
@FunctionalInterface
public interface ApprovalGate {

    /**
     * @param callId    the audit id of the call
     * @param call      the call as the policy saw it
     * @param requiring the decision whose action is {@code require_approval}
     * @param decidedBy the engine that made it: its bundle settles the call, whatever is loaded when an approver
     *                  answers (SPEC §13.7)
     * @return the final decision; never throws
     */
    Decision settle(String callId, ToolCall call, Decision requiring, PolicyEngine decidedBy);

    /** For an agent without an approval service: the call is denied and says why. */
    ApprovalGate UNAVAILABLE = (callId, call, requiring, decidedBy) -> new Decision(requiring.action(), requiring.enforced(),
            requiring.reason() + " (approval required, but no approval service is running in this agent)",
            requiring.rule(), requiring.field(), requiring.policyName(), requiring.policyVersion(),
            requiring.policySha256(), requiring.latencyNanos(), requiring.approval(), requiring.trace());
}
