package dev.toolguard.policy.audit;

import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.TraceStep;
import dev.toolguard.policy.values.CallSecrets;
import dev.toolguard.policy.values.JsonWriter;

import java.util.Map;

/**
 * The write-ahead record of one decision, appended before the tool body may run.
 *
 * @param id       the call id, shared with the call's outcome record
 * @param tool     the tool name
 * @param method   the Java method, e.g. {@code com.acme.RefundTools#issueRefund(String,double,String)}
 * @param args     the arguments as JSON-like values (redacted when written)
 * @param ctx      the context tree (redacted when written)
 * @param decision what was decided
 */
public record DecisionRecord(String id, String tool, String method, Map<String, Object> args,
                             Map<String, Object> ctx, Decision decision) implements AuditRecord {

    /** The trace outcome that marks an expression (or other) error worth keeping in the record. */
    static final String ERROR_OUTCOME = "error";

    @Override
    public String type() {
        return "decision";
    }

    @Override
    public void writeFields(JsonWriter out) {
        // the engine hides them already; decisions made outside it (internal errors) are hidden here, with the values
        // the engine's walk of these very objects found when it is this thread's last (Redaction#secretsOfDecided)
        CallSecrets secrets = out.redaction().secretsOfDecided(args, ctx);
        out.fieldOnce("id", id).field("tool", tool).field("method", method);
        out.name("args").value(args);
        out.name("ctx").value(ctx);
        out.field("action", decision.action().wireName())
                .field("enforced", decision.enforced())
                .field("reason", secrets.hide(decision.reason()))
                .field("rule", decision.rule())
                .field("field", decision.field());
        out.name("policy").beginObject()
                .field("name", decision.policyName())
                .field("version", decision.policyVersion())
                .field("sha256", decision.policySha256());
        if (decision.policySignature() != null) {
            // SPEC §15: which signed revision decided, and under which key
            out.field("revision", decision.policySignature().revision()).field("key_id", decision.policySignature().keyId());
        }
        out.endObject();
        out.field("latency_ns", decision.latencyNanos());
        String state = decision.state();
        if (state != null) {
            out.field("state", state);
        }
        if (hasError(decision.trace())) {
            out.name("errors").beginArray();
            for (TraceStep step : decision.trace()) {
                if (isError(step)) {
                    out.beginObject().field("step", step.step()).field("rule", step.rule())
                            .field("message", secrets.hide(step.detail())).endObject();
                }
            }
            out.endArray();
        }
    }

    private static boolean hasError(java.util.List<TraceStep> trace) {
        if (trace == null) {
            return false;
        }
        for (int i = 0, n = trace.size(); i < n; i++) {
            if (isError(trace.get(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isError(TraceStep step) {
        return step != null && ERROR_OUTCOME.equals(step.outcome());
    }
}
