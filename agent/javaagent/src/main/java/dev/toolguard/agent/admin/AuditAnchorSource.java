package dev.toolguard.agent.admin;

import dev.toolguard.policy.audit.AuditAnchor;
import dev.toolguard.policy.audit.AuditWriteException;

/** Where {@code GET /audit/anchor} takes the anchor of the audit log's tail from ({@code AuditLog::anchor}). */
@FunctionalInterface
public interface AuditAnchorSource {

    /** The last record's hash and the number of records in the file, once that record is written. */
    AuditAnchor anchor() throws AuditWriteException;
}
