package dev.toolguard.policy.approval;

import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.values.JsonWriter;

/**
 * The JSON shape of an approval, the same for the webhook payload and the admin API. Arguments go through
 * the writer's redaction.
 */
public final class ApprovalJson {

    private ApprovalJson() {
    }

    public static void write(JsonWriter out, Approval a) {
        out.beginObject()
                .field("id", a.id())
                .field("status", a.status().wireName())
                .field("tool", a.tool());
        out.name("args").value(a.args());
        out.field("user", a.userId())
                .field("mode", a.spec().mode().name().toLowerCase(java.util.Locale.ROOT))
                .field("rule", a.rule())
                .field("policy", a.policy())
                .field("call", a.callId())
                .field("requested_at", AuditLog.timestamp(a.requestedAt()))
                .field("expires_at", AuditLog.timestamp(a.expiresAt()))
                .field("on_timeout", a.spec().onTimeout().wireName());
        if (!a.pending()) {
            out.field("decided_by", a.decidedBy())
                    .field("reason", out.redaction().secretsOf(a.args(), a.ctx()).hide(a.decisionReason()))
                    .field("decided_at", a.decidedAt() == null ? null : AuditLog.timestamp(a.decidedAt()));
        }
        out.endObject();
    }
}
