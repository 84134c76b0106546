package dev.toolguard.policy.audit;

import dev.toolguard.policy.values.JsonWriter;
/**
 * What happened once an allowed tool body ran.
 *
 * @param id         the call id of the decision record
 * @param errorClass null when the body returned; else the class name of what it threw
 * @param durationMs how long the body ran
 */
public record OutcomeRecord(String id, String errorClass, long durationMs) implements AuditRecord {

    public static OutcomeRecord ok(String id, long durationMs) {
        return new OutcomeRecord(id, null, durationMs);
    }

    public static OutcomeRecord failed(String id, Throwable thrown, long durationMs) {
        return new OutcomeRecord(id, thrown.getClass().getName(), durationMs);
    }

    @Override
    public String type() {
        return "outcome";
    }

    @Override
    public void writeFields(JsonWriter out) {
        out.fieldOnce("id", id).field("status", errorClass == null ? "ok" : "error");
        if (errorClass != null) {
            out.field("error", errorClass);
        }
        out.field("duration_ms", durationMs);
    }
}
