package dev.toolguard.policy.audit;

import dev.toolguard.policy.values.JsonWriter;

import java.util.Map;
import java.util.Set;

/**
 * The first record a process writes when it opens the log.
 *
 * @param details    what the process wants on record (agent version, mode, pid, ...); redacted when written
 * @param tornOffset when the file ended in a torn line (a crash mid-write), the byte offset where that line
 *                   starts; the chain skips it and continues from the last intact record. Null otherwise.
 */
public record StartRecord(Map<String, Object> details, Long tornOffset) implements AuditRecord {

    /** Members the log itself writes; details may not shadow them. */
    private static final Set<String> RESERVED = Set.of("type", "ts", "torn_offset", "prev", "hash");

    @Override
    public String type() {
        return "start";
    }

    @Override
    public void writeFields(JsonWriter out) {
        if (details != null) {
            for (Map.Entry<String, Object> e : details.entrySet()) {
                if (!RESERVED.contains(e.getKey())) {
                    out.name(e.getKey()).value(e.getValue());
                }
            }
        }
        if (tornOffset != null) {
            out.field("torn_offset", tornOffset);
        }
    }
}
