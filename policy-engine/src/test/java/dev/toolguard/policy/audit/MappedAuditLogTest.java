package dev.toolguard.policy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.Test;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.toolguard.policy.audit.AuditFixtures.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The audit log in the mapped layout ({@code audit.layout: mapped}): every test of {@link AuditLogTest} again, and what
 * is the mapped layout's own: the zero tail, records across chunks, and a file cut under the map.
 */
class MappedAuditLogTest extends AuditLogTest {

    @Override
    AuditLayout layout() {
        return AuditLayout.MAPPED;
    }

    /** What a kill in the middle of copying a record into the map leaves: a record cut short, then zero bytes. */
    @Test
    void aRecordCutShortBeforeTheZeroTailIsCutWithTheTailAndNamedByTheNextStart() throws Exception {
        Path file = AuditFixtures.logWith(dir, 2);
        long tornAt = Files.size(file);
        Files.writeString(file, "{\"type\":\"decision\",\"ts\":\"2026-11-", StandardOpenOption.APPEND);
        Files.write(file, new byte[AppendRegion.CHUNK_BYTES + 100], StandardOpenOption.APPEND);
        String lastIntact = JSON.readTree(lines(file).get(2)).get("hash").asText();
        AuditVerification killed = AuditVerifier.verify(file);

        try (AuditLog log = open(file)) {
            log.outcome("call-9", null, 1);
        }
        JsonNode restart = JSON.readTree(lines(file).get(4));
        AuditVerification verification = AuditVerifier.verify(file);

        assertThat(killed.ok()).as(killed.message()).isTrue();
        assertThat(killed.records()).isEqualTo(3);
        assertThat(killed.notes()).hasSize(2).first().asString().startsWith("line 4 is an incomplete record");
        assertThat(restart.get("torn_offset").asLong()).isEqualTo(tornAt);
        assertThat(restart.get("prev").asText()).isEqualTo(lastIntact);
        assertThat(Files.readString(file)).doesNotContain("\0");
        assertThat(verification.ok()).as(verification.message()).isTrue();
        assertThat(verification.records()).isEqualTo(5);
    }

    /** A log written in the append layout continues unchanged in the mapped one; a closed log has no zero tail. */
    @Test
    void anAppendLayoutLogContinuesAndAClosedLogHasNoZeroTail() throws Exception {
        Path file = dir.resolve("old.jsonl");
        List<String> old = lines(AuditFixtures.logWith(dir, 3));
        AuditFixtures.writeLines(file, old);
        long before = Files.size(file);

        try (AuditLog log = open(file)) {
            log.outcome("call-9", null, 1);
            assertThat(Files.size(file)).as("mapped ahead while open").isGreaterThan(before + 1000);
        }

        assertThat(lines(file).subList(0, old.size())).isEqualTo(old);
        assertThat(Files.readString(file)).doesNotContain("\0").endsWith("}\n");
        AuditVerification verification = AuditVerifier.verify(file);
        assertThat(verification.ok()).as(verification.message()).isTrue();
        assertThat(verification.records()).isEqualTo(old.size() + 2);
        assertThat(verification.notes()).isEmpty();
    }

    /** Records longer than what is left of a chunk, and longer than a chunk, continue across chunks without a gap. */
    @Test
    void recordsCrossChunkBoundariesWithoutAGap() throws Exception {
        Path file = dir.resolve("big.jsonl");
        String big = "x".repeat(1500);
        try (AuditLog log = AuditLog.open(new AuditConfig(file.toString(), FsyncMode.NEVER, null,
                Redaction.DEFAULT).withLayout(AuditLayout.MAPPED), Map.of("agent", "test"))) {
            for (int i = 0; i < 1500; i++) {
                log.append(new StartRecord(Map.of("pad", big, "i", i), null));
            }
            Map<String, Object> larger = new java.util.HashMap<>();
            for (int i = 0; i < 700; i++) {
                larger.put("k" + i, "y".repeat(2000));
            }
            log.append(new StartRecord(larger, null));
            log.append(new StartRecord(Map.of("after", "the largest"), null));
        }
        AuditVerification verification = AuditVerifier.verify(file);

        assertThat(Files.size(file)).isGreaterThan(3L * AppendRegion.CHUNK_BYTES);
        assertThat(verification.ok()).as(verification.message()).isTrue();
        assertThat(verification.records()).isEqualTo(1503);
    }

    /**
     * What {@code copytruncate} does to a log being written: the file cut to nothing under the map. The region's own
     * thread notices; from then on the log refuses every record with the reason (so every guarded call is denied)
     * rather than copying into pages that are gone, and closing it does not lengthen the cut file again.
     */
    @Test
    void aFileCutUnderTheMapFailsTheLogClosedWithTheReason() throws Exception {
        Path file = dir.resolve("cut.jsonl");
        AuditLog log = open(file);
        log.outcome("call-1", null, 1);
        // the cut comes once the grower has made its lead: a cut while it still writes zeros lengthens the file again
        // (found and failed closed all the same, but then the file is not empty at the end)
        await().atMost(Duration.ofSeconds(20)).until(() -> log.regionLead() == AppendRegion.AHEAD);

        try (RandomAccessFile rotator = new RandomAccessFile(file.toFile(), "rw")) {
            rotator.setLength(0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> log.regionFailure() != null);

        assertThatThrownBy(() -> log.outcome("call-2", null, 1))
                .isInstanceOf(AuditWriteException.class)
                .hasMessageContaining("was cut to 0 bytes under its writer")
                .hasMessageContaining("copytruncate");
        assertThatThrownBy(() -> log.decision("call-3", AuditFixtures.refund(1), AuditFixtures.METHOD,
                AuditFixtures.deny()))
                .isInstanceOf(AuditWriteException.class)
                .hasMessageContaining("unusable");
        assertThatThrownBy(log::anchor).isInstanceOf(AuditWriteException.class);
        log.close();
        assertThat(Files.size(file)).isZero();
    }

    /**
     * The file cut while four threads append without pause, so that copies land on pages the cut took away before
     * the region's watch sees it: each thread gets an AuditWriteException (its call would be denied), none an
     * InternalError, neither from the append nor later, and every thread goes on to its end.
     */
    @Test
    void aFileCutWhileThreadsAppendFailsEachAppendNeverThrowsTheFaultIntoTheThread() throws Exception {
        Path file = dir.resolve("cut.jsonl");
        int threads = 4;
        AuditLog log = open(file);
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> thrown = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicLong appended = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.CountDownLatch failed = new java.util.concurrent.CountDownLatch(threads);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(threads);
        List<Thread> appenders = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (true) {
                        log.outcome("call-" + appended.incrementAndGet(), null, 1);
                    }
                } catch (Throwable e) {
                    thrown.add(e);
                }
                failed.countDown();
                try {
                    // what an application thread does next: allocating, calling, looping; a fault the JVM still
                    // held for this thread would be thrown in here
                    long sum = 0;
                    for (int i = 0; i < 200_000; i++) {
                        sum += List.of(i, sum).hashCode();
                    }
                    log.outcome("after-" + sum, null, 1);
                } catch (Throwable e) {
                    thrown.add(e);
                }
                done.countDown();
            });
            thread.start();
            appenders.add(thread);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> appended.get() > 20_000);
        try (RandomAccessFile rotator = new RandomAccessFile(file.toFile(), "rw")) {
            rotator.setLength(0);
        }

        assertThat(failed.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(done.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        log.close();
        assertThat(thrown).hasSize(2 * threads).allSatisfy(e -> assertThat(e).isInstanceOf(AuditWriteException.class));
        for (Thread appender : appenders) {
            appender.join(20_000);
        }
        assertThat(appenders).noneMatch(Thread::isAlive);
    }

    /** A log reopened after a cut (the process restarted) starts a new chain in the file and writes on. */
    @Test
    void aLogCutToNothingStartsAfreshWhenReopened() throws Exception {
        Path file = dir.resolve("cut.jsonl");
        AuditLog log = open(file);
        log.outcome("call-1", null, 1);
        try (RandomAccessFile rotator = new RandomAccessFile(file.toFile(), "rw")) {
            rotator.setLength(0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> log.regionFailure() != null);
        log.close();

        try (AuditLog reopened = open(file)) {
            reopened.outcome("call-2", null, 1);
        }

        AuditVerification verification = AuditVerifier.verify(file);
        assertThat(verification.ok()).as(verification.message()).isTrue();
        assertThat(verification.records()).isEqualTo(2);
    }
}
