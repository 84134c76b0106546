package dev.toolguard.policy.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * The fields each record type always has, as {@link AuditLog} writes them (SPEC §9): what
 * {@link AuditVerifier} holds every intact record to. A field a writer may leave out (an approval's
 * {@code user}, a decision's {@code errors}) is not required; one it writes as {@code null} must be present.
 */
final class RecordShape {

    private static final Set<String> TYPES = Set.of("decision", "outcome", "approval", "policy", "start", "checkpoint",
            "state", "egress");
    private static final List<String> DECISION = List.of("id", "tool", "method", "args", "ctx", "action", "enforced",
            "reason", "rule", "field", "policy", "latency_ns");

    private RecordShape() {
    }

    /**
     * What is wrong with the shape of a record, or null when it has every field of its type.
     *
     * @param number the record's number in the file (1-based), which a checkpoint must count to
     */
    static String problem(JsonNode record, long number) {
        String type = textOf(record, "type");
        if (type == null) {
            return "the record has no \"type\"";
        }
        if (!TYPES.contains(type)) {
            return "unknown record type \"" + type + "\" (expected one of decision, outcome, approval, policy,"
                    + " start, checkpoint, state, egress)";
        }
        String missing = text(record, type, "ts");
        if (missing != null) {
            return missing;
        }
        return switch (type) {
            case "decision" -> decision(record);
            case "outcome" -> outcome(record);
            case "approval" -> approval(record);
            case "policy" -> policy(record);
            case "checkpoint" -> checkpoint(record, number);
            case "state" -> text(record, "state", "event");
            case "egress" -> firstOf(text(record, "egress", "kind"), text(record, "egress", "action"),
                    text(record, "egress", "rule"), record.has("enforced") && record.get("enforced").isBoolean()
                            ? null : kind("egress", "enforced", "true or false"));
            default -> null; // start: what a process puts on record at start is its own; type and ts suffice
        };
    }

    private static String decision(JsonNode r) {
        for (String field : DECISION) {
            if (!r.has(field)) {
                return missing("decision", field);
            }
        }
        String wrong = firstOf(text(r, "decision", "id"), text(r, "decision", "tool"), text(r, "decision", "method"),
                text(r, "decision", "action"));
        if (wrong != null) {
            return wrong;
        }
        if (!r.get("enforced").isBoolean()) {
            return kind("decision", "enforced", "true or false");
        }
        if (!r.get("latency_ns").isIntegralNumber()) {
            return kind("decision", "latency_ns", "a whole number");
        }
        JsonNode policy = r.get("policy");
        if (!policy.isObject() || !policy.has("name") || !policy.has("version") || !policy.has("sha256")) {
            return kind("decision", "policy", "an object with name, version and sha256");
        }
        return null;
    }

    private static String outcome(JsonNode r) {
        String wrong = firstOf(text(r, "outcome", "id"), text(r, "outcome", "status"));
        if (wrong != null) {
            return wrong;
        }
        String status = r.get("status").asText();
        if (!status.equals("ok") && !status.equals("error")) {
            return kind("outcome", "status", "\"ok\" or \"error\"");
        }
        if (status.equals("error") && textOf(r, "error") == null) {
            return missing("outcome", "error");
        }
        if (!r.has("duration_ms") || !r.get("duration_ms").isIntegralNumber()) {
            return r.has("duration_ms") ? kind("outcome", "duration_ms", "a whole number")
                    : missing("outcome", "duration_ms");
        }
        return null;
    }

    private static String approval(JsonNode r) {
        String wrong = firstOf(text(r, "approval", "id"), text(r, "approval", "event"));
        if (wrong != null) {
            return wrong;
        }
        return switch (r.get("event").asText()) {
            case "requested" -> firstOf(text(r, "approval", "call"), text(r, "approval", "tool"),
                    text(r, "approval", "mode"), text(r, "approval", "expires_at"));
            case "approved", "rejected" -> text(r, "approval", "by");
            case "used" -> text(r, "approval", "call");
            default -> null;
        };
    }

    private static String policy(JsonNode r) {
        String wrong = text(r, "policy", "event");
        if (wrong != null) {
            return wrong;
        }
        if (!r.has("sources") || !r.get("sources").isArray()) {
            return r.has("sources") ? kind("policy", "sources", "an array") : missing("policy", "sources");
        }
        return switch (r.get("event").asText()) {
            case "loaded" -> firstOf(present(r, "policy", "name"), present(r, "policy", "version"),
                    text(r, "policy", "sha256"));
            case "rejected" -> null;
            default -> kind("policy", "event", "\"loaded\" or \"rejected\"");
        };
    }

    private static String checkpoint(JsonNode r, long number) {
        JsonNode count = r.get("count");
        if (count == null) {
            return missing("checkpoint", "count");
        }
        if (!count.isIntegralNumber()) {
            return kind("checkpoint", "count", "a whole number");
        }
        if (count.asLong() != number) {
            return "the checkpoint counts " + count.asLong() + " records but is record " + number
                    + " of the file (records were deleted before it)";
        }
        return null;
    }

    private static String text(JsonNode r, String type, String field) {
        JsonNode v = r.get(field);
        if (v == null) {
            return missing(type, field);
        }
        return v.isTextual() ? null : kind(type, field, "a string");
    }

    private static String present(JsonNode r, String type, String field) {
        return r.has(field) ? null : missing(type, field);
    }

    private static String textOf(JsonNode r, String field) {
        JsonNode v = r.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static String missing(String type, String field) {
        return "the " + type + " record has no \"" + field + "\"";
    }

    private static String kind(String type, String field, String expected) {
        return "the " + type + " record's \"" + field + "\" is not " + expected;
    }

    private static String firstOf(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }
}
