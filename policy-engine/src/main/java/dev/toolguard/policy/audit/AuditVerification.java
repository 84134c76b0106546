package dev.toolguard.policy.audit;

import java.util.List;

/**
 * The result of checking an audit log's hash chain.
 *
 * @param ok       true when every line is an intact record linked to the one before
 * @param records  intact records read (up to the first bad line)
 * @param badLine  1-based number of the first bad line, or 0 when ok
 * @param problem  what is wrong with it, or null when ok
 * @param reason   what is wrong, as a sentence without the line number
 *                 (e.g. {@code hash mismatch: the record was modified after it was written}), or null when ok
 * @param notes    things that are not failures but worth saying (a torn line left by a crash)
 */
public record AuditVerification(boolean ok, long records, long badLine, Problem problem, String reason,
                                List<String> notes) {

    public enum Problem {
        /** The record's bytes do not hash to its {@code hash}: it was changed. */
        MODIFIED,
        /** The record's {@code prev} is not the previous record's hash: records were deleted or reordered. */
        BROKEN_LINK,
        /** The line is not a complete audit record. */
        UNPARSEABLE,
        /** The line is an intact record but lacks a field its type always has (or has it of the wrong kind). */
        MALFORMED,
        /** The log holds fewer records than the anchor counts: its end was cut. */
        CUT,
        /** The record at the anchored count does not have the anchored hash. */
        NOT_ANCHORED,
        /** The file could not be read. */
        UNREADABLE
    }

    /** {@code <n> records, chain intact}, or {@code line <n>: <reason>}. */
    public String message() {
        if (ok) {
            return records + " records, chain intact";
        }
        return badLine > 0 ? "line " + badLine + ": " + reason : reason;
    }

    static AuditVerification passed(long records, List<String> notes) {
        return new AuditVerification(true, records, 0, null, null, List.copyOf(notes));
    }

    static AuditVerification failed(long records, long line, Problem problem, String why, List<String> notes) {
        return new AuditVerification(false, records, line, problem, why, List.copyOf(notes));
    }
}
