package dev.toolguard.policy.approval;

import dev.toolguard.policy.decide.ApprovalSpec;

import java.time.Instant;
import java.util.Map;

/**
 * One approval request and where it stands. Immutable: a change of status is a new value, swapped into the
 * store with compare-and-set so that exactly one approver, timeout or redeeming call wins.
 *
 * @param id             the approval id approvers use
 * @param callId         the audit id of the call that asked
 * @param tool           the tool name
 * @param args           the call's arguments
 * @param ctx            the call's context
 * @param userId         {@code ctx.user.id} of the caller, or null
 * @param spec           timeout, on_timeout and mode from the rule
 * @param rule           the rule id that required approval
 * @param policy         the bundle name
 * @param requestedAt    when it was requested
 * @param expiresAt      when it times out unless decided
 * @param status         where it stands
 * @param decidedBy      who approved or rejected it (or "on_timeout")
 * @param decisionReason the approver's reason
 * @param decidedAt      when it left {@link Status#PENDING}
 * @param ticketKey      for ticket mode: the identity of the call it admits (tool, canonical args, user)
 */
public record Approval(String id, String callId, String tool, Map<String, Object> args, Map<String, Object> ctx,
                       String userId, ApprovalSpec spec, String rule, String policy, Instant requestedAt,
                       Instant expiresAt, Status status, String decidedBy, String decisionReason, Instant decidedAt,
                       String ticketKey) {

    public enum Status {
        PENDING, APPROVED, REJECTED, TIMED_OUT,
        /** A ticket that admitted its one call. */
        USED,
        /** The waiting call went away (its thread was interrupted). */
        CANCELLED;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean pending() {
        return status == Status.PENDING;
    }

    Approval decided(Status newStatus, String by, String reason, Instant at) {
        return new Approval(id, callId, tool, args, ctx, userId, spec, rule, policy, requestedAt, expiresAt,
                newStatus, by, reason, at, ticketKey);
    }

    /**
     * Whether this ticket admits a call at {@code now}: approved (or timed out with on_timeout allow) and
     * redeemed within the rule's timeout after that.
     */
    boolean redeemableAt(Instant now) {
        boolean admits = status == Status.APPROVED
                || (status == Status.TIMED_OUT && spec.onTimeout() == dev.toolguard.policy.decide.Action.ALLOW);
        return admits && decidedAt != null && now.isBefore(decidedAt.plus(spec.timeout()));
    }
}
