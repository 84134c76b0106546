package dev.toolguard.policy.approval;

/**
 * What an approver answered, and what came of it.
 *
 * @param outcome  decided, unknown id, already decided (or timed out), not recorded (audit failure), or the shared
 *                 store did not answer
 * @param approval the approval as it stands afterwards (null when unknown)
 * @param message  a sentence for the approver
 */
public record ApproverVerdict(Outcome outcome, Approval approval, String message) {

    public enum Outcome { DECIDED, UNKNOWN, ALREADY_DECIDED, NOT_RECORDED, UNAVAILABLE }
}
