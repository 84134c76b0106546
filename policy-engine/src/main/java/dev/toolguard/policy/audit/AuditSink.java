package dev.toolguard.policy.audit;

/** Where audit records go. {@link AuditLog} is the real one; the interface lets callers be tested alone. */
@FunctionalInterface
public interface AuditSink {

    /**
     * Appends one record; when this returns normally the record is on record (see {@link AuditLog#append}).
     *
     * @throws AuditWriteException when it could not be written; never swallowed, never retried silently
     */
    void append(AuditRecord record) throws AuditWriteException;
}
