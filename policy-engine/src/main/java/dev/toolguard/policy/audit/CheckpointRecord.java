package dev.toolguard.policy.audit;

import dev.toolguard.policy.values.JsonWriter;
/**
 * A mark the log writes every {@code audit.checkpoint} (SPEC §13.11), so that the tail of the file is anchored
 * in time: a log that ends more than one interval before its process stopped was cut.
 *
 * @param count the number of records in the file up to and including this one; its {@code hash} and this
 *              count together are an anchor ({@link AuditAnchor})
 */
public record CheckpointRecord(long count) implements AuditRecord {

    @Override
    public String type() {
        return "checkpoint";
    }

    @Override
    public void writeFields(JsonWriter out) {
        out.field("count", count);
    }
}
