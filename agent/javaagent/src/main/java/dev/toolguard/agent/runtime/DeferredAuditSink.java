package dev.toolguard.agent.runtime;

import dev.toolguard.policy.audit.AuditRecord;
import dev.toolguard.policy.audit.AuditSink;
import dev.toolguard.policy.audit.AuditWriteException;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the policy's (and the state store's) records go while the agent starts: the policy loads side by side with the instrumentation,
 * but the audit log opens only after it (its start record says what the instrumentation found), so a record made
 * before the log is open waits here and is written, in order, as soon as it opens.
 */
final class DeferredAuditSink implements AuditSink {

    private final List<AuditRecord> waiting = new ArrayList<>();
    private AuditSink open;

    @Override
    public void append(AuditRecord record) throws AuditWriteException {
        AuditSink sink;
        synchronized (this) {
            if (open == null) {
                waiting.add(record);
                return;
            }
            sink = open;
        }
        sink.append(record);
    }

    /** The log is open (or known not to open: {@code sink} then refuses): the waiting records go to it. */
    synchronized void open(AuditSink sink) {
        open = sink;
        for (AuditRecord r : waiting) {
            try {
                sink.append(r);
            } catch (AuditWriteException | RuntimeException e) {
                // as for any policy record: the start line says the log is not open, decisions say it again
            }
        }
        waiting.clear();
    }
}
