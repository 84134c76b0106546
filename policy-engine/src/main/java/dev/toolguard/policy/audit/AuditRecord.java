package dev.toolguard.policy.audit;

import dev.toolguard.policy.values.JsonWriter;
/**
 * One line of the audit log (SPEC §9). The log writes {@code type} and {@code ts} first, then the record's
 * own fields, then {@code prev} and {@code hash}.
 */
public sealed interface AuditRecord permits DecisionRecord, OutcomeRecord, ApprovalRecord, PolicyRecord, StartRecord, StateRecord,
        CheckpointRecord, EgressRecord {

    /** decision | outcome | approval | policy | start | checkpoint */
    String type();

    /** Writes this record's fields (everything between {@code ts} and {@code prev}) as object members. */
    void writeFields(JsonWriter out);
}
