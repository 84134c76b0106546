package dev.toolguard.policy.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.toolguard.policy.audit.AuditFixtures.METHOD;
import static dev.toolguard.policy.audit.AuditFixtures.deny;
import static dev.toolguard.policy.audit.AuditFixtures.lines;
import static dev.toolguard.policy.audit.AuditFixtures.refund;
import static dev.toolguard.policy.audit.AuditFixtures.writeLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SPEC §13.11: an anchor taken from the log shows a later cut that the chain alone cannot. */
class AuditAnchorTest {

    @TempDir
    Path dir;

    private Path file;
    private AuditAnchor anchor;

    /** Writes a start record and {@code before} decisions, takes the anchor, then writes {@code after} more. */
    private void logAnchoredAt(int before, int after) throws Exception {
        file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(AuditConfig.toFile(file.toString()).withCheckpointEvery(Duration.ZERO),
                Map.of("agent", "test"))) {
            for (int i = 0; i < before; i++) {
                log.decision(log.newId(), refund(i), METHOD, deny());
            }
            anchor = log.anchor();
            for (int i = 0; i < after; i++) {
                log.decision(log.newId(), refund(100 + i), METHOD, deny());
            }
        }
    }

    @Test
    void anUncutLogPassesItsAnchor() throws Exception {
        logAnchoredAt(4, 0);

        AuditVerification result = AuditVerifier.verify(file, anchor);

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.records()).isEqualTo(5);
    }

    @Test
    void aLogThatGrewPastItsAnchorPasses() throws Exception {
        logAnchoredAt(4, 3);

        assertThat(AuditVerifier.verify(file, anchor).ok()).isTrue();
    }

    @Test
    void aLogCutAtALineBoundaryBeforeTheAnchorFailsThoughItsChainHolds() throws Exception {
        logAnchoredAt(4, 0);
        List<String> lines = new ArrayList<>(lines(file));
        writeLines(file, lines.subList(0, 3));

        AuditVerification plain = AuditVerifier.verify(file);
        AuditVerification anchored = AuditVerifier.verify(file, anchor);

        assertThat(plain.ok()).isTrue();
        assertThat(anchored.ok()).isFalse();
        assertThat(anchored.problem()).isEqualTo(AuditVerification.Problem.CUT);
        assertThat(anchored.badLine()).isEqualTo(4);
        assertThat(anchored.reason()).startsWith("the log ends after 3 records, but the anchor " + anchor
                + " names record 5: the log was cut");
    }

    @Test
    void aLogRewrittenUpToTheAnchorFailsAtTheAnchoredRecord() throws Exception {
        logAnchoredAt(4, 2);
        List<String> bodies = new ArrayList<>(lines(file).stream().map(Rechain::body).toList());
        bodies.set(2, bodies.get(2).replace("\"amount\":1", "\"amount\":9"));
        writeLines(file, Rechain.chain(bodies));

        AuditVerification result = AuditVerifier.verify(file, anchor);

        assertThat(AuditVerifier.verify(file).ok()).isTrue();
        assertThat(result.problem()).isEqualTo(AuditVerification.Problem.NOT_ANCHORED);
        assertThat(result.badLine()).isEqualTo(5);
        assertThat(result.reason()).endsWith("not the anchored " + anchor.hash()
                + ": the log was rewritten after the anchor was taken");
    }

    @Test
    void anAnchorParsesFromHashColonCount() {
        AuditAnchor parsed = AuditAnchor.parse("ab".repeat(32) + ":12");

        assertThat(parsed).isEqualTo(new AuditAnchor("ab".repeat(32), 12));
        assertThat(parsed.toString()).isEqualTo("ab".repeat(32) + ":12");
    }

    @Test
    void aMalformedAnchorIsRefusedWithItsForm() {
        assertThatThrownBy(() -> AuditAnchor.parse("abc:12"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("an anchor is <hash>:<count>");
        assertThatThrownBy(() -> AuditAnchor.parse("ab".repeat(32) + ":0"))
                .hasMessageContaining("an anchor of 0 records has the hash of an empty log");
    }
}
