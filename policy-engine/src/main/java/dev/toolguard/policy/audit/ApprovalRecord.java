package dev.toolguard.policy.audit;

import dev.toolguard.policy.values.JsonWriter;

import java.time.Instant;
import java.util.Map;

/**
 * A step in the life of an approval: requested, approved, rejected, timed_out, or used (a ticket redeemed).
 * Fields that do not apply to the event are null and left out of the line.
 *
 * @param id        the approval id
 * @param event     requested | approved | rejected | timed_out | used
 * @param callId    the call that asked (requested) or redeemed (used)
 * @param tool      the tool (requested)
 * @param args      the arguments (requested; redacted when written)
 * @param user      ctx.user.id of the caller (requested)
 * @param mode      wait | ticket (requested)
 * @param expiresAt when the request times out (requested)
 * @param by        who decided (approved, rejected)
 * @param reason    why (approved, rejected), or the on_timeout action (timed_out)
 */
public record ApprovalRecord(String id, String event, String callId, String tool, Map<String, Object> args,
                             String user, String mode, Instant expiresAt, String by, String reason)
        implements AuditRecord {

    @Override
    public String type() {
        return "approval";
    }

    @Override
    public void writeFields(JsonWriter out) {
        out.fieldOnce("id", id).field("event", event);
        optional(out, "call", callId);
        optional(out, "tool", tool);
        if (args != null) {
            out.name("args").value(args);
        }
        optional(out, "user", user);
        optional(out, "mode", mode);
        if (expiresAt != null) {
            out.field("expires_at", AuditLog.timestamp(expiresAt));
        }
        optional(out, "by", by);
        // a person's words are not a call's values, but a pasted card number still matches a value pattern
        optional(out, "reason", out.redaction().redactValue(reason));
    }

    private static void optional(JsonWriter out, String name, String value) {
        if (value != null) {
            out.field(name, value);
        }
    }
}
