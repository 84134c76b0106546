package dev.toolguard.policy.approval;

/**
 * A shared {@link ApprovalStore} did not answer in time (SPEC §14): the approval could not be read or written.
 * Unchecked because the store's methods are called from places that all end the same way: the call is denied
 * (rule {@code state_unavailable}), an approver is told to try again; nothing is ever allowed for it.
 */
public final class ApprovalStoreUnavailableException extends RuntimeException {

    public ApprovalStoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
