package dev.toolguard.policy.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AppendRegionTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A copy that broke off (an overflow on a deep stack) is taken back: the next record is copied over it. */
    @Test
    void aCopyTakenBackIsCoveredByTheNextRecordAndCutAtClose() throws Exception {
        Path file = dir.resolve("r.jsonl");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            AppendRegion region = new AppendRegion(raf, file.toString(), 0);
            region.put(bytes("first\n"), 6);
            long mark = region.end();
            region.put(bytes("a long record cut short"), 23);

            assertThat(region.rewind(mark)).isTrue();
            region.put(bytes("second\n"), 7);
            region.close(false);
        }

        assertThat(Files.readString(file)).isEqualTo("first\nsecond\n");
    }

    /** A copy that had moved on to the next chunk cannot be taken back (the log then fails). */
    @Test
    void aCopyThatCrossedIntoTheNextChunkCannotBeTakenBack() throws Exception {
        Path file = dir.resolve("r.jsonl");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            AppendRegion region = new AppendRegion(raf, file.toString(), AppendRegion.CHUNK_BYTES - 3);
            long mark = region.end();
            region.put(bytes("crosses\n"), 8);

            assertThat(region.rewind(mark)).isFalse();
            region.close(false);
        }
    }
}
