package dev.toolguard.agent.runtime;

import dev.toolguard.agent.reload.ActivePolicy;
import dev.toolguard.policy.approval.ApprovalService;
import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;

/**
 * The agent's approval gate: a call is settled by the engine that asked for its approval (SPEC §13.7), and a reload
 * while it waits re-decides it (SPEC §10): when the bundle now loaded no longer sends the call to approval under the
 * same rule, that bundle decides it at once and its request is cancelled, so a {@code forbid} added while a request
 * waits holds even if an approver then says yes, and the audit record credits the bundle that decided. A new bundle
 * that asks for approval under another rule opens a request of its own, settled by that bundle.
 */
final class ReloadingApprovalGate implements ApprovalGate {

    private final ApprovalService approvals;
    private final ActivePolicy active;

    ReloadingApprovalGate(ApprovalService approvals, ActivePolicy active) {
        this.approvals = approvals;
        this.active = active;
    }

    @Override
    public Decision settle(String callId, ToolCall call, Decision requiring, PolicyEngine decidedBy) {
        PolicyEngine asking = decidedBy;
        Decision asked = requiring;
        while (true) {
            Watch watch = new Watch(asking);
            Decision settled;
            try {
                settled = approvals.resolve(callId, call, asked, asking::admitApproved, watch::reconsider);
            } catch (AuditWriteException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            if (settled.action() != Action.REQUIRE_APPROVAL || !settled.enforced() || watch.deciding == asking) {
                return settled;
            }
            // the reloaded bundle asks for an approval of its own, under another rule
            asking = watch.deciding;
            asked = settled;
        }
    }

    /** Compares the engine now loaded with the last one the waiting call was checked against. */
    private final class Watch {
        private PolicyEngine deciding;

        Watch(PolicyEngine asking) {
            this.deciding = asking;
        }

        Decision reconsider(ToolCall call, Decision asked) {
            ActivePolicy.Snapshot now = active.current();
            if (!now.loaded() || now.engine() == deciding) {
                return null;
            }
            deciding = now.engine();
            Decision d = deciding.decide(call);
            boolean sameApproval = d.action() == Action.REQUIRE_APPROVAL && d.enforced() && d.rule().equals(asked.rule());
            return sameApproval ? null : d;
        }
    }
}
