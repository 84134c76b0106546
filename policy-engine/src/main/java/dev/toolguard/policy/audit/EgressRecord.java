package dev.toolguard.policy.audit;

import dev.toolguard.policy.values.JsonWriter;

/**
 * An egress a sensor saw inside a guarded call (or outside one, under {@code egress.outside_tools: audit} or
 * {@code deny}) and what the policy said of it (SPEC §18). Only what the policy checked is written: statement kinds
 * and tables, never the SQL text; method and host, never the URL's path or query; addresses; the program's name.
 *
 * @param id       the call id of the guarded call it was made in (its decision record's {@code id}), or null outside
 * @param tool     that call's tool, or null
 * @param kind     {@code sql}, {@code http}, {@code mail} or {@code exec}
 * @param target   what was reached, as {@code EgressRequest.describe} says it
 * @param action   {@code allow} or {@code deny}
 * @param enforced false for a shadow-mode denial, which let the egress go
 * @param rule     the rule that decided
 * @param reason   why
 * @param policy   the bundle's name, version label and sha256 (null entries when none is loaded)
 */
public record EgressRecord(String id, String tool, String kind, String target, String action, boolean enforced,
                           String rule, String reason, String policyName, String policyVersion, String policySha256)
        implements AuditRecord {

    @Override
    public String type() {
        return "egress";
    }

    @Override
    public void writeFields(JsonWriter out) {
        out.field("id", id).field("tool", tool).field("kind", kind).field("target", target).field("action", action)
                .field("enforced", enforced).field("rule", rule).field("reason", reason);
        out.name("policy").beginObject().field("name", policyName).field("version", policyVersion)
                .field("sha256", policySha256).endObject();
    }
}
