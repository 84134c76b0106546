package dev.toolguard.policy.approval;

/** Tells someone outside that an approval is waiting. Must return at once: deciding never waits on it. */
@FunctionalInterface
public interface ApprovalNotifier {

    void requested(Approval approval);

    ApprovalNotifier NONE = approval -> { };
}
