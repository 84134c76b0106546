package dev.toolguard.policy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.toolguard.policy.audit.AuditFixtures.METHOD;
import static dev.toolguard.policy.audit.AuditFixtures.deny;
import static dev.toolguard.policy.audit.AuditFixtures.lines;
import static dev.toolguard.policy.audit.AuditFixtures.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §13.11: checkpoint records and the anchor of the log's tail. */
class AuditCheckpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private AuditLog open(Path file, Duration checkpointEvery) throws AuditWriteException {
        return AuditLog.open(AuditConfig.toFile(file.toString()).withCheckpointEvery(checkpointEvery),
                Map.of("agent", "test"));
    }

    private static List<JsonNode> records(Path file) throws Exception {
        return lines(file).stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void aCheckpointCountsTheRecordsOfTheFileUpToItselfAndIsChained() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = open(file, Duration.ZERO)) {
            log.decision(log.newId(), refund(1), METHOD, deny());
            log.checkpoint();
        }

        List<JsonNode> records = records(file);
        assertThat(records).hasSize(3);
        JsonNode checkpoint = records.get(2);
        assertThat(checkpoint.path("type").asText()).isEqualTo("checkpoint");
        assertThat(checkpoint.path("count").asLong()).isEqualTo(3);
        assertThat(checkpoint.path("prev").asText()).isEqualTo(records.get(1).path("hash").asText());
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
    }

    @Test
    void checkpointsAreWrittenEveryInterval() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = open(file, Duration.ofMillis(1))) {
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    records(file).stream().filter(r -> r.path("type").asText().equals("checkpoint")).count() >= 3);
        }

        List<JsonNode> records = records(file);
        assertThat(records.get(0).path("type").asText()).as("a process's records begin with its start")
                .isEqualTo("start");
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).path("type").asText().equals("checkpoint")) {
                assertThat(records.get(i).path("count").asLong()).isEqualTo(i + 1);
            }
        }
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
    }

    @Test
    void anIntervalOfZeroStartsNoCheckpointTimer() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = open(file, Duration.ZERO)) {
            log.decision(log.newId(), refund(1), METHOD, deny());
            // without fsync batch and without checkpoints the log has no timer thread at all
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("toolguard-audit-timer")
                    && t.isAlive());
        }
    }

    @Test
    void theAnchorIsTheLastHashAndTheRecordCountOfTheFile() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = open(file, Duration.ZERO)) {
            log.decision(log.newId(), refund(1), METHOD, deny());
            log.decision(log.newId(), refund(2), METHOD, deny());

            AuditAnchor anchor = log.anchor();

            List<JsonNode> records = records(file);
            assertThat(anchor.count()).isEqualTo(3);
            assertThat(anchor.hash()).isEqualTo(records.get(2).path("hash").asText());
        }
    }

    @Test
    void theCountContinuesAcrossProcessesAndPastATornLine() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = open(file, Duration.ZERO)) {
            log.decision(log.newId(), refund(1), METHOD, deny());
        }
        Files.writeString(file, "{\"type\":\"decision\",\"ts\":\"20", java.nio.file.StandardOpenOption.APPEND);
        try (AuditLog log = open(file, Duration.ZERO)) {
            log.checkpoint();
            AuditAnchor anchor = log.anchor();

            // start, decision, (torn line: no record), start, checkpoint
            assertThat(anchor.count()).isEqualTo(4);
            assertThat(JSON.readTree(lines(file).get(4)).path("count").asLong()).isEqualTo(4);
        }
        assertThat(AuditVerifier.verify(file).ok()).as(AuditVerifier.verify(file).message()).isTrue();
    }
}
