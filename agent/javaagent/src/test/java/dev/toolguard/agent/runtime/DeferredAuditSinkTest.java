package dev.toolguard.agent.runtime;

import dev.toolguard.policy.audit.AuditRecord;
import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.audit.PolicyRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy's records made before the audit log opens wait, and are written in order once it does. */
class DeferredAuditSinkTest {

    @Test
    void recordsMadeBeforeTheLogOpensAreWrittenInOrderWhenItOpens_laterOnesAtOnce() throws Exception {
        DeferredAuditSink sink = new DeferredAuditSink();
        List<AuditRecord> written = new ArrayList<>();
        AuditRecord first = PolicyRecord.loaded("p", "1", "ab".repeat(32), List.of("p.yaml"));
        AuditRecord second = PolicyRecord.rejected(List.of("p.yaml"), List.of("p.yaml:1:1: bad"));
        AuditRecord third = PolicyRecord.loaded("p", "2", "cd".repeat(32), List.of("p.yaml"));

        sink.append(first);
        sink.append(second);
        assertThat(written).isEmpty();

        sink.open(written::add);
        assertThat(written).containsExactly(first, second);

        sink.append(third);
        assertThat(written).containsExactly(first, second, third);
    }

    @Test
    void aLogThatDidNotOpenRefusesLaterRecordsAsAnyClosedLogDoes() {
        DeferredAuditSink sink = new DeferredAuditSink();
        sink.open(r -> {
            throw new AuditWriteException("the audit log is not open", null);
        });

        assertThatThrownBy(() -> sink.append(PolicyRecord.loaded("p", "1", "ab".repeat(32), List.of())))
                .isInstanceOf(AuditWriteException.class);
    }
}
