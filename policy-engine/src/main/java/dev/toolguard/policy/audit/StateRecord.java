package dev.toolguard.policy.audit;

import dev.toolguard.policy.values.JsonWriter;

/**
 * The shared state store stopped or started answering (SPEC §14): one record per switch.
 *
 * @param event          {@code unavailable} or {@code available}
 * @param store          where the state lives, e.g. {@code redis://10.0.0.5:6379/0} (never a password)
 * @param onUnavailable  what calls that need the store get meanwhile: {@code deny}, {@code allow} or {@code local}
 * @param detail         what was seen
 */
public record StateRecord(String event, String store, String onUnavailable, String detail) implements AuditRecord {

    @Override
    public String type() {
        return "state";
    }

    @Override
    public void writeFields(JsonWriter out) {
        out.field("event", event).field("store", store).field("on_unavailable", onUnavailable).field("detail", detail);
    }
}
