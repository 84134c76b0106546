package dev.toolguard.policy.audit;

import java.util.Locale;

/**
 * How the audit log's records reach its file (SPEC §2 {@code audit.layout}); the records and their chain are the same.
 */
public enum AuditLayout {
    /**
     * Each record handed to the OS with {@code write(2)} (concurrent callers share one in a group commit). The file
     * always ends with its last record, so it may be rotated any way and followed by its size.
     */
    APPEND,
    /**
     * Each record copied into a memory-mapped region of the file ({@link AppendRegion}): no system call per record.
     * While written, the file ends in zero bytes mapped ahead of its records; it must never be truncated under the
     * writer (no {@code copytruncate}). Opt-in; docs/audit-log.md says what it asks of the operator.
     */
    MAPPED;

    public static AuditLayout fromConfig(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown audit layout '" + value + "' (expected append or mapped)");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
