package dev.toolguard.policy.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static dev.toolguard.policy.audit.AuditFixtures.lines;
import static dev.toolguard.policy.audit.AuditFixtures.logWith;
import static dev.toolguard.policy.audit.AuditFixtures.writeLines;
import static org.assertj.core.api.Assertions.assertThat;

class AuditVerifierTest {

    @TempDir
    Path dir;

    @Test
    void anUntouchedLogPasses() throws Exception {
        Path file = logWith(dir, 5);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.ok()).isTrue();
        assertThat(result.records()).isEqualTo(6);
        assertThat(result.notes()).isEmpty();
    }

    @Test
    void aModifiedRecordIsNamedByItsLine() throws Exception {
        Path file = logWith(dir, 5);
        List<String> lines = new ArrayList<>(lines(file));
        lines.set(2, lines.get(2).replace("\"action\":\"deny\"", "\"action\":\"allow\""));
        writeLines(file, lines);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.ok()).isFalse();
        assertThat(result.badLine()).isEqualTo(3);
        assertThat(result.problem()).isEqualTo(AuditVerification.Problem.MODIFIED);
        assertThat(result.message()).startsWith("line 3: hash mismatch");
    }

    @Test
    void aDeletedRecordIsNamedByTheLineAfterTheGap() throws Exception {
        Path file = logWith(dir, 5);
        List<String> lines = new ArrayList<>(lines(file));
        lines.remove(3);
        writeLines(file, lines);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.badLine()).isEqualTo(4);
        assertThat(result.problem()).isEqualTo(AuditVerification.Problem.BROKEN_LINK);
        assertThat(result.message()).contains("deleted or reordered");
    }

    @Test
    void reorderedRecordsAreNamedByTheFirstMovedLine() throws Exception {
        Path file = logWith(dir, 5);
        List<String> lines = new ArrayList<>(lines(file));
        Collections.swap(lines, 2, 3);
        writeLines(file, lines);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.badLine()).isEqualTo(3);
        assertThat(result.problem()).isEqualTo(AuditVerification.Problem.BROKEN_LINK);
    }

    @Test
    void aDeletedFirstRecordIsNamedAtLineOne() throws Exception {
        Path file = logWith(dir, 2);
        List<String> lines = new ArrayList<>(lines(file));
        lines.remove(0);
        writeLines(file, lines);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.badLine()).isEqualTo(1);
        assertThat(result.problem()).isEqualTo(AuditVerification.Problem.BROKEN_LINK);
    }

    @Test
    void aForeignLineInsideTheFileIsUnparseable() throws Exception {
        Path file = logWith(dir, 3);
        List<String> lines = new ArrayList<>(lines(file));
        lines.add(2, "not a record");
        writeLines(file, lines);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.badLine()).isEqualTo(3);
        assertThat(result.problem()).isEqualTo(AuditVerification.Problem.UNPARSEABLE);
    }

    @Test
    void aTornLastLineIsANoteNotAFailure() throws Exception {
        Path file = logWith(dir, 2);
        Files.writeString(file, "{\"type\":\"outcome\",\"ts\":\"2026", StandardOpenOption.APPEND);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.ok()).isTrue();
        assertThat(result.records()).isEqualTo(3);
        assertThat(result.notes()).singleElement().asString().startsWith("line 4 is an incomplete record");
    }

    /** A log being written ends in the zero bytes mapped ahead of its records: a note, not a failure. */
    @Test
    void aZeroTailIsANoteNotAFailure() throws Exception {
        Path file = logWith(dir, 2);
        long end = Files.size(file);
        Files.write(file, new byte[5000], StandardOpenOption.APPEND);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.records()).isEqualTo(3);
        assertThat(result.notes()).singleElement().asString().contains("zero bytes from offset " + end);
    }

    /** Zero bytes followed by more records are no tail: whatever stood there is gone (a disk, or someone, lost it). */
    @Test
    void zeroBytesInsideTheLogFail() throws Exception {
        Path file = logWith(dir, 4);
        List<String> lines = new ArrayList<>(lines(file));
        lines.set(2, "\0".repeat(lines.get(2).length()));
        lines.set(3, "\0".repeat(lines.get(3).length()));
        writeLines(file, lines);
        Path oneLine = dir.resolve("one-line.jsonl");
        List<String> zeroedOnce = new ArrayList<>(lines(logWith(dir.resolve("other"), 4)));
        zeroedOnce.set(2, "\0".repeat(10));
        writeLines(oneLine, zeroedOnce);

        AuditVerification result = AuditVerifier.verify(file);
        AuditVerification oneLineResult = AuditVerifier.verify(oneLine);

        assertThat(result.ok()).isFalse();
        assertThat(result.badLine()).isEqualTo(3);
        assertThat(result.reason()).contains("zero bytes inside the log");
        assertThat(oneLineResult.ok()).isFalse();
        assertThat(oneLineResult.badLine()).isEqualTo(3);
    }

    @Test
    void aTerminatedBrokenLastLineFails() throws Exception {
        Path file = logWith(dir, 2);
        Files.writeString(file, "{\"type\":\"outcome\",\"ts\":\"2026\n", StandardOpenOption.APPEND);

        AuditVerification result = AuditVerifier.verify(file);

        assertThat(result.ok()).isFalse();
        assertThat(result.badLine()).isEqualTo(4);
    }

    @Test
    void aMissingFileIsUnreadable() {
        AuditVerification result = AuditVerifier.verify(dir.resolve("nope.jsonl"));

        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).isEqualTo(AuditVerification.Problem.UNREADABLE);
    }
}
