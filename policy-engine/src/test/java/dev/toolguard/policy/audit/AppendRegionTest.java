package dev.toolguard.policy.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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

    /**
     * The grower keeps {@link AppendRegion#AHEAD} chunks made past the one being filled, so that a caller reaches a
     * chunk that is not ready only when the grower is that far behind; taking one makes it make the next.
     */
    @Test
    void theGrowerKeepsItsLeadOfChunksAheadOfTheRecords() throws Exception {
        Path file = dir.resolve("r.jsonl");
        long lead = (1L + AppendRegion.AHEAD) * AppendRegion.CHUNK_BYTES;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            AppendRegion region = new AppendRegion(raf, file.toString(), 0);
            await().atMost(Duration.ofSeconds(20)).until(() -> region.chunksReady() == AppendRegion.AHEAD);
            assertThat(Files.size(file)).isEqualTo(lead);

            byte[] line = new byte[AppendRegion.CHUNK_BYTES];
            java.util.Arrays.fill(line, (byte) 'x');
            region.put(line, line.length);
            region.put(bytes("next\n"), 5);

            await().atMost(Duration.ofSeconds(20)).until(() -> region.chunksReady() == AppendRegion.AHEAD);
            assertThat(Files.size(file)).isEqualTo(lead + AppendRegion.CHUNK_BYTES);
            region.close(false);
        }
        assertThat(Files.size(file)).isEqualTo(AppendRegion.CHUNK_BYTES + 5L);
    }

    /**
     * The grower looks for a hidden cut at the first record's first byte, so that place is known only once the byte is
     * in the file. A first record whose copy broke off before its first byte (an overflow on a deep stack; here, a
     * length past the array) left a zero there, which the grower read as a cut and failed a log that was never cut;
     * so could a record still being copied when the grower looked.
     */
    @Test
    void aFirstRecordWhoseCopyBrokeOffIsNotTakenForACut() throws Exception {
        Path file = dir.resolve("r.jsonl");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            AppendRegion region = new AppendRegion(raf, file.toString(), 0);
            assertThatThrownBy(() -> region.put(new byte[3], 6)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThat(region.end()).isZero();

            // filling the current chunk takes a made one, and the grower makes the next, looking at the first record
            byte[] line = new byte[AppendRegion.CHUNK_BYTES];
            java.util.Arrays.fill(line, (byte) 'x');
            region.put(line, line.length);
            region.put(bytes("next\n"), 5);
            await().atMost(Duration.ofSeconds(20)).until(() -> region.chunksReady() == AppendRegion.AHEAD);

            assertThat(region.failure()).isNull();
            region.close(false);
        }
        assertThat(Files.size(file)).isEqualTo(AppendRegion.CHUNK_BYTES + 5L);
    }

    /**
     * A cut the size watch cannot see: the file truncated just before the grower's next write of zeros, which
     * lengthens it again, so that it is as long as before with a hole where the records were. What that leaves is
     * made here without the file ever being shorter (which the watch could catch): zeros written over the first
     * record. The grower finds them when it makes its next chunk, and every later record is refused.
     */
    @Test
    void aCutHiddenByTheFileGrowingAgainIsFoundWhereTheFirstRecordWas() throws Exception {
        Path file = dir.resolve("r.jsonl");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            AppendRegion region = new AppendRegion(raf, file.toString(), 0);
            region.put(bytes("first\n"), 6);
            await().atMost(Duration.ofSeconds(20)).until(() -> region.chunksReady() == AppendRegion.AHEAD);
            try (RandomAccessFile rotator = new RandomAccessFile(file.toFile(), "rw")) {
                rotator.write(new byte[6]);
            }

            // filling the current chunk takes a made one, and the grower makes the next
            byte[] line = new byte[AppendRegion.CHUNK_BYTES];
            java.util.Arrays.fill(line, (byte) 'x');
            region.put(line, line.length);
            await().atMost(Duration.ofSeconds(20)).until(() -> region.failure() != null);

            assertThat(region.failure()).hasMessageContaining("was cut to 0 bytes under its writer");
            assertThatThrownBy(() -> region.put(bytes("later\n"), 6)).hasMessageContaining("copytruncate");
            region.close(false);
        }
    }
}
