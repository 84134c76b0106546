package dev.toolguard.policy.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** Following an audit log: each whole line once, in order, in batches; a line being written waits for its end. */
class AuditFollowerTest {

    @TempDir
    Path dir;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void fromEndHandsOverOnlyLinesAppendedLaterEachOnceAndWholeOnly() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        append(file, "{\"n\":0}\n");
        AuditFollower f = AuditFollower.fromEnd(file, 1 << 20);

        append(file, "{\"n\":1}\n{\"n\":");
        assertThat(f.read(100)).containsExactly("{\"n\":1}");
        append(file, "2}\n");
        assertThat(f.read(100)).containsExactly("{\"n\":2}");
        assertThat(f.read(100)).isEmpty();
    }

    @Test
    void aBatchStopsAfterItsLastLineAndTheNextReadGoesOnFromThere() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        append(file, "a\nb\nc\nd\ne");
        AuditFollower f = AuditFollower.fromBacklog(file, 1 << 20);

        assertThat(f.read(2)).containsExactly("a", "b");
        assertThat(f.read(2)).containsExactly("c", "d");
        assertThat(f.read(2)).isEmpty();
        append(file, "\n");
        assertThat(f.read(2)).containsExactly("e");
    }

    @Test
    void theBacklogStartsAtAWholeLineAndAReaderFarBehindSkipsToIt() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        append(file, "first-line-long\nsecond\nthird\n");
        assertThat(AuditFollower.fromBacklog(file, 12).read(10)).containsExactly("third");

        AuditFollower behind = AuditFollower.fromEnd(file, 12);
        append(file, "fourth-line-long\nfifth\nsixth\n");
        assertThat(behind.behind()).isEqualTo(29);
        behind.skipToBacklog();
        assertThat(behind.read(10)).containsExactly("fifth", "sixth");
    }

    @Test
    void aFileReplacedByAShorterOneIsReadFromItsStart() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        append(file, "one\ntwo\nthree\n");
        AuditFollower f = AuditFollower.fromEnd(file, 1 << 20);
        Files.writeString(file, "new\n", StandardCharsets.UTF_8);
        assertThat(f.read(10)).containsExactly("new");
    }

    /** A mapped log being written ends in its writer's zero tail: both followers read the records copied over it. */
    @Test
    void recordsCopiedOverTheZeroTailAreHandedOverFromTheBacklogAndFromTheEnd() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditFixtures.open(file, AuditLayout.MAPPED)) {
            log.outcome("call-1", null, 1);
            AuditFollower fromBacklog = AuditFollower.fromBacklog(file, 1 << 20);
            AuditFollower fromEnd = AuditFollower.fromEnd(file, 1 << 20);
            assertThat(fromBacklog.read(100)).hasSize(2).last().asString().contains("call-1");
            assertThat(fromEnd.read(100)).isEmpty();

            log.outcome("call-2", null, 1);

            assertThat(fromBacklog.read(100)).singleElement().asString().contains("call-2");
            assertThat(fromEnd.read(100)).singleElement().asString().contains("call-2");
        }
    }
}
