package dev.toolguard.policy.audit;

/**
 * The audit log could not take a record. The caller must treat this as an internal error of deciding
 * ({@code on_error}): a call whose decision is not on record must not run silently.
 */
public final class AuditWriteException extends Exception {
    public AuditWriteException(String message, Throwable cause) {
        super(message, cause);
    }

    public AuditWriteException(String message) {
        super(message);
    }
}
