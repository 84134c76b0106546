package dev.toolguard.policy.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.toolguard.policy.audit.AuditFixtures.METHOD;
import static dev.toolguard.policy.audit.AuditFixtures.deny;
import static dev.toolguard.policy.audit.AuditFixtures.lines;
import static dev.toolguard.policy.audit.AuditFixtures.refund;
import static dev.toolguard.policy.audit.AuditFixtures.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §13.11: verify-audit holds every record to the fields of its type, not only to the chain. */
class AuditRecordShapeTest {

    @TempDir
    Path dir;

    /** Lines: start, policy loaded, policy rejected, approval requested, approval approved, decision, outcome, checkpoint. */
    private Path everyType() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditFixtures.open(file)) {
            log.append(PolicyRecord.loaded("support-agent", "1", "ab".repeat(32), List.of("p.yaml")));
            log.append(PolicyRecord.rejected(List.of("p.yaml"), List.of("p.yaml:1:1: bad")));
            log.append(new ApprovalRecord("a1", "requested", "c1", "issue_refund", Map.of("amount", 5), "u1",
                    "wait", Instant.parse("2026-11-21T10:15:30Z"), null, null));
            log.append(new ApprovalRecord("a1", "approved", null, null, null, null, null, null, "lead", "fine"));
            String id = log.newId();
            log.decision(id, refund(5), METHOD, deny());
            log.outcome(id, null, 3);
            log.checkpoint();
        }
        return file;
    }

    /** Removes one member from the record on {@code lineIndex} and re-chains the whole file. */
    private Path withoutField(Path file, int lineIndex, String field) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (String line : lines(file)) {
            bodies.add(Rechain.body(line));
        }
        String body = bodies.get(lineIndex);
        String stripped = body.replaceFirst(",\"" + field + "\":(\"[^\"]*\"|\\[[^\\]]*\\]|\\{[^}]*\\}|[^,}]*)", "");
        assertThat(stripped).as("the fixture has a %s on line %d", field, lineIndex + 1).isNotEqualTo(body);
        bodies.set(lineIndex, stripped);
        writeLines(file, Rechain.chain(bodies));
        return file;
    }

    @Test
    void aRecordOfEveryTypeAsWrittenPasses() throws Exception {
        AuditVerification result = AuditVerifier.verify(everyType());

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.records()).isEqualTo(8);
    }

    @Test
    void aChainedRecordMissingMostOfItsFieldsFailsAtItsLine() throws Exception {
        Path file = everyType();
        List<String> bodies = new ArrayList<>(lines(file).stream().map(Rechain::body).toList());
        bodies.set(5, "{\"type\":\"decision\",\"ts\":\"2026-11-21T10:15:30.123456Z\"}");
        writeLines(file, Rechain.chain(bodies));

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).isEqualTo(AuditVerification.Problem.MALFORMED);
        assertThat(result.message()).isEqualTo("line 6: the decision record has no \"id\"");
        assertThat(result.records()).isEqualTo(5);
    }

    @ParameterizedTest(name = "line {0} without {1}")
    @CsvSource({
            "1, ts",
            "2, sources",
            "2, sha256",
            "3, event",
            "4, expires_at",
            "5, by",
            "6, action",
            "6, enforced",
            "6, policy",
            "6, reason",
            "6, args",
            "6, latency_ns",
            "7, status",
            "7, duration_ms",
            "8, count",
    })
    void aRecordWithoutAFieldOfItsTypeIsNamed(int line, String field) throws Exception {
        Path file = withoutField(everyType(), line - 1, field);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.ok()).isFalse();
        assertThat(result.badLine()).isEqualTo(line);
        assertThat(result.reason()).contains("\"" + field + "\"");
    }

    @Test
    void anUnknownRecordTypeFails() throws Exception {
        Path file = everyType();
        List<String> bodies = new ArrayList<>(lines(file).stream().map(Rechain::body).toList());
        bodies.set(1, bodies.get(1).replace("\"type\":\"policy\"", "\"type\":\"note\""));
        writeLines(file, Rechain.chain(bodies));

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.badLine()).isEqualTo(2);
        assertThat(result.reason()).startsWith("unknown record type \"note\"");
    }

    @Test
    void aCheckpointThatMiscountsFails() throws Exception {
        Path file = everyType();
        List<String> bodies = new ArrayList<>(lines(file).stream().map(Rechain::body).toList());
        bodies.remove(1); // a record deleted and the chain recomputed: only the checkpoint's count shows it
        writeLines(file, Rechain.chain(bodies));

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.badLine()).isEqualTo(7);
        assertThat(result.reason()).isEqualTo(
                "the checkpoint counts 8 records but is record 7 of the file (records were deleted before it)");
    }
}
