package dev.toolguard.policy.approval;

import dev.toolguard.policy.audit.ApprovalRecord;
import dev.toolguard.policy.audit.AuditRecord;
import dev.toolguard.policy.audit.AuditSink;
import dev.toolguard.policy.audit.AuditWriteException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what was appended; can be told to fail. */
final class RecordingAudit implements AuditSink {
    final List<AuditRecord> records = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public void append(AuditRecord record) throws AuditWriteException {
        if (failing) {
            throw new AuditWriteException("disk full");
        }
        records.add(record);
    }

    List<String> approvalEvents() {
        return records.stream().filter(r -> r instanceof ApprovalRecord)
                .map(r -> ((ApprovalRecord) r).event()).toList();
    }

    ApprovalRecord last(String event) {
        return records.stream().filter(r -> r instanceof ApprovalRecord a && a.event().equals(event))
                .map(r -> (ApprovalRecord) r).reduce((a, b) -> b).orElseThrow();
    }
}
