package dev.toolguard.policy.audit;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in an audit log kept outside it: record number {@code count} (1-based, counting every intact record
 * of the file) has hash {@code hash}. A log that no longer holds that record, or holds a different one there,
 * was cut or rewritten after the anchor was taken (SPEC §13.11).
 *
 * @param hash  the record's {@code hash}, 64 lower-case hex digits ({@link AuditLog#GENESIS} for an empty log)
 * @param count how many records the log held when the anchor was taken
 */
public record AuditAnchor(String hash, long count) {

    private static final Pattern TEXT = Pattern.compile("([0-9a-f]{64}):(\\d{1,18})");

    public AuditAnchor {
        if (hash == null || !hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("an anchor hash is 64 lower-case hex digits");
        }
        if (count < 0) {
            throw new IllegalArgumentException("an anchor count is not negative");
        }
        if (count == 0 && !hash.equals(AuditLog.GENESIS)) {
            throw new IllegalArgumentException("an anchor of 0 records has the hash of an empty log, 64 zeros");
        }
    }

    /** Parses {@code <hash>:<count>}, as {@code verify-audit --anchor} takes it. */
    public static AuditAnchor parse(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("an anchor is <hash>:<count>: 64 lower-case hex digits, a colon and"
                    + " a record count, as GET /audit/anchor returns them; got '" + text + "'");
        }
        return new AuditAnchor(m.group(1), Long.parseLong(m.group(2)));
    }

    /** {@code <hash>:<count>}. */
    @Override
    public String toString() {
        return hash + ":" + count;
    }
}
