package dev.toolguard.policy.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.policy.decide.TraceStep;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.toolguard.policy.audit.AuditFixtures.METHOD;
import static dev.toolguard.policy.audit.AuditFixtures.deny;
import static dev.toolguard.policy.audit.AuditFixtures.lines;
import static dev.toolguard.policy.audit.AuditFixtures.refund;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The audit log in its default layout; {@link MappedAuditLogTest} runs every test here again in the mapped one. */
class AuditLogTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The layout every log of these tests is written in. */
    AuditLayout layout() {
        return AuditLayout.APPEND;
    }

    AuditLog open(Path file) throws AuditWriteException {
        return AuditFixtures.open(file, layout());
    }

    @Test
    void decisionRecordHasExactlyTheFieldsOfTheContractInOrder() throws Exception {
        Path file = dir.resolve("a.jsonl");
        try (AuditLog log = open(file)) {
            log.decision("call-1", refund(50_000), METHOD, deny());
        }
        JsonNode record = JSON.readTree(lines(file).get(1));

        assertThat(names(record)).containsExactly("type", "ts", "id", "tool", "method", "args", "ctx", "action",
                "enforced", "reason", "rule", "field", "policy", "latency_ns", "prev", "hash");
        assertThat(record.get("type").asText()).isEqualTo("decision");
        assertThat(record.get("id").asText()).isEqualTo("call-1");
        assertThat(record.get("args").get("amount").asLong()).isEqualTo(50_000);
        assertThat(record.get("ctx").get("user").get("id").asText()).isEqualTo("u1");
        assertThat(record.get("action").asText()).isEqualTo("deny");
        assertThat(record.get("enforced").asBoolean()).isTrue();
        assertThat(record.get("rule").asText()).isEqualTo("tools.issue_refund.rules[3]");
        assertThat(record.get("field").isNull()).isTrue();
        assertThat(names(record.get("policy"))).containsExactly("name", "version", "sha256");
        assertThat(record.get("latency_ns").asLong()).isEqualTo(812);
    }

    @Test
    void timestampsAreUtcWithMicroseconds() throws Exception {
        Path file = dir.resolve("a.jsonl");
        Clock clock = Clock.fixed(Instant.parse("2026-11-21T10:15:30.123456789Z"), ZoneOffset.UTC);
        try (AuditLog log = AuditLog.open(AuditConfig.toFile(file.toString()).withLayout(layout()), Map.of(), clock)) {
            log.outcome("call-1", null, 3);
        }
        assertThat(JSON.readTree(lines(file).get(1)).get("ts").asText()).isEqualTo("2026-11-21T10:15:30.123456Z");
    }

    @Test
    void decisionRecordCarriesTheExpressionErrorsOfItsTrace() throws Exception {
        Path file = dir.resolve("a.jsonl");
        List<TraceStep> trace = List.of(
                new TraceStep("forbid", "forbid[0]", "pass", "condition false"),
                new TraceStep("rules", "tools.issue_refund.rules[0]", "error", "no such key: roles"));
        try (AuditLog log = open(file)) {
            log.decision("call-1", refund(5), METHOD, deny(trace));
        }
        JsonNode errors = JSON.readTree(lines(file).get(1)).get("errors");

        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).get("rule").asText()).isEqualTo("tools.issue_refund.rules[0]");
        assertThat(errors.get(0).get("message").asText()).isEqualTo("no such key: roles");
    }

    @Test
    void outcomeRecordsSayOkOrNameTheThrownClass() throws Exception {
        Path file = dir.resolve("a.jsonl");
        try (AuditLog log = open(file)) {
            log.outcome("call-1", null, 3);
            log.outcome("call-2", new IllegalStateException("boom"), 7);
        }
        JsonNode ok = JSON.readTree(lines(file).get(1));
        JsonNode failed = JSON.readTree(lines(file).get(2));

        assertThat(names(ok)).containsExactly("type", "ts", "id", "status", "duration_ms", "prev", "hash");
        assertThat(ok.get("status").asText()).isEqualTo("ok");
        assertThat(failed.get("status").asText()).isEqualTo("error");
        assertThat(failed.get("error").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(failed.get("duration_ms").asLong()).isEqualTo(7);
    }

    @Test
    void hashIsTheSha256OfTheLineWithoutItsHashMember() throws Exception {
        Path file = AuditFixtures.logWith(dir, 2);
        for (String line : lines(file)) {
            String withoutHash = line.replaceFirst(",\"hash\":\"[0-9a-f]{64}\"}$", "}");
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(withoutHash.getBytes(StandardCharsets.UTF_8)));

            assertThat(JSON.readTree(line).get("hash").asText()).isEqualTo(expected);
            assertThat(JSON.readTree(withoutHash).has("hash")).isFalse();
        }
    }

    @Test
    void eachRecordLinksToThePreviousOneStartingFromGenesis() throws Exception {
        Path file = AuditFixtures.logWith(dir, 3);
        String prev = AuditLog.GENESIS;
        for (String line : lines(file)) {
            JsonNode record = JSON.readTree(line);
            assertThat(record.get("prev").asText()).isEqualTo(prev);
            prev = record.get("hash").asText();
        }
    }

    @Test
    void aReopenedLogContinuesTheChainFromItsLastRecord() throws Exception {
        Path file = AuditFixtures.logWith(dir, 2);
        String lastHash = JSON.readTree(lines(file).get(2)).get("hash").asText();

        try (AuditLog log = open(file)) {
            log.outcome("call-9", null, 1);
        }
        JsonNode restart = JSON.readTree(lines(file).get(3));

        assertThat(restart.get("type").asText()).isEqualTo("start");
        assertThat(restart.get("prev").asText()).isEqualTo(lastHash);
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
        assertThat(AuditVerifier.verify(file).records()).isEqualTo(5);
    }

    @Test
    void aTornLastLineIsTerminatedSkippedAndNamedByTheNextStart() throws Exception {
        Path file = AuditFixtures.logWith(dir, 2);
        long tornAt = Files.size(file);
        Files.writeString(file, "{\"type\":\"decision\",\"ts\":\"2026-11-", StandardOpenOption.APPEND);
        String lastIntact = JSON.readTree(lines(file).get(2)).get("hash").asText();

        try (AuditLog log = open(file)) {
            log.outcome("call-9", null, 1);
        }
        JsonNode restart = JSON.readTree(lines(file).get(4));
        AuditVerification verification = AuditVerifier.verify(file);

        assertThat(restart.get("torn_offset").asLong()).isEqualTo(tornAt);
        assertThat(restart.get("prev").asText()).isEqualTo(lastIntact);
        assertThat(verification.ok()).isTrue();
        assertThat(verification.notes()).singleElement().asString().contains("line 4");
    }

    @Test
    void aCompleteLastRecordWithoutItsNewlineIsKept() throws Exception {
        Path file = AuditFixtures.logWith(dir, 1);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));

        try (AuditLog log = open(file)) {
            log.outcome("call-9", null, 1);
        }
        JsonNode restart = JSON.readTree(lines(file).get(2));

        assertThat(restart.has("torn_offset")).isFalse();
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
    }

    /** How one call is written: its decision, then its outcome. */
    interface CallWriter {
        void write(AuditLog log, String id, int i) throws Exception;
    }

    /** {@code threads} threads each write {@code perThread} calls at once; the file must be one valid chain. */
    private void writeConcurrently(int threads, int perThread, CallWriter call) throws Exception {
        Path file = dir.resolve("a.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try (AuditLog log = open(file)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        call.write(log, log.newId(), i);
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        AuditVerification verification = AuditVerifier.verify(file);
        Map<String, Integer> recordsPerId = new java.util.HashMap<>();
        for (String line : lines(file).subList(1, lines(file).size())) {
            recordsPerId.merge(JSON.readTree(line).get("id").asText(), 1, Integer::sum);
        }

        assertThat(verification.ok()).as(verification.message()).isTrue();
        assertThat(verification.records()).isEqualTo(1 + 2L * threads * perThread);
        // every call's decision and outcome exactly once: none lost, none written twice
        assertThat(recordsPerId).hasSize(threads * perThread).allSatisfy((id, n) -> assertThat(n).isEqualTo(2));
    }

    @Test
    void concurrentAppendersProduceOneValidChain() throws Exception {
        writeConcurrently(8, 400, (log, id, i) -> {
            log.decision(id, refund(i), METHOD, deny());
            log.outcome(id, null, 0);
        });
    }

    @Test
    void concurrentAnnouncedDecisionsWithTheirOutcomesProduceOneValidChain() throws Exception {
        writeConcurrently(4, 500, (log, id, i) -> {
            log.expectDecision();
            log.expectedDecision(id, refund(i), METHOD, deny());
            log.outcome(id, null, 0);
        });
    }

    @Test
    void aDecisionAndAnOutcomeAreEachInTheFileWhenTheirAppendReturns() throws Exception {
        Path file = dir.resolve("a.jsonl");
        try (AuditLog log = open(file)) {
            log.decision("call-1", refund(1), METHOD, deny());
            assertThat(lines(file)).hasSize(2);
            assertThat(lines(file).get(1)).contains("\"id\":\"call-1\"");

            log.outcome("call-1", null, 3);
            // with the OS before outcome() returned: nothing else is written in between
            assertThat(lines(file)).hasSize(3);
            assertThat(JSON.readTree(lines(file).get(2)).get("type").asText()).isEqualTo("outcome");
        }
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
    }

    @Test
    void callIdsAreUniqueAcrossThreads() throws Exception {
        try (AuditLog log = open(dir.resolve("a.jsonl"))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<String>>> parts = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    parts.add(pool.submit(() -> {
                        List<String> ids = new ArrayList<>();
                        for (int i = 0; i < 1000; i++) {
                            ids.add(log.newId());
                        }
                        return ids;
                    }));
                }
                List<String> all = new ArrayList<>();
                for (Future<List<String>> f : parts) {
                    all.addAll(f.get());
                }
                assertThat(all).hasSize(4000).doesNotHaveDuplicates();
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void callIdsAreUnique() throws Exception {
        try (AuditLog log = open(dir.resolve("a.jsonl"))) {
            assertThat(List.of(log.newId(), log.newId(), log.newId())).doesNotHaveDuplicates();
        }
    }

    @Test
    void everyFsyncModeWritesAVerifiableLog() throws Exception {
        for (FsyncMode mode : FsyncMode.values()) {
            Path file = dir.resolve(mode + ".jsonl");
            AuditConfig config = new AuditConfig(file.toString(), mode, Duration.ofMillis(5), Redaction.DEFAULT)
                    .withLayout(layout());
            try (AuditLog log = AuditLog.open(config, Map.of())) {
                log.decision("call-1", refund(1), METHOD, deny());
            }
            assertThat(AuditVerifier.verify(file).records()).as(mode.name()).isEqualTo(2);
        }
    }

    @Test
    void aSecondWriterOfTheSameFileIsRefused() throws Exception {
        Path file = dir.resolve("a.jsonl");
        AuditLog first = open(file);
        try {
            assertThatThrownBy(() -> open(file))
                    .isInstanceOf(AuditWriteException.class)
                    .hasMessageContaining("already open");
        } finally {
            first.close();
        }
    }

    @Test
    void aTargetThatCannotBeWrittenIsReportedNotSkipped() {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(devFull), "needs /dev/full");

        assertThatThrownBy(() -> AuditLog.open(AuditConfig.toFile(devFull.toString()).withLayout(layout()), Map.of()))
                .isInstanceOf(AuditWriteException.class)
                .hasMessageContaining("cannot");
    }

    @Test
    void appendingToAClosedLogFails() throws Exception {
        AuditLog log = open(dir.resolve("a.jsonl"));
        log.close();

        assertThatThrownBy(() -> log.outcome("call-1", null, 1))
                .isInstanceOf(AuditWriteException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void argsAndCtxAreRedactedInDecisionRecords() throws Exception {
        Path file = dir.resolve("a.jsonl");
        var call = new dev.toolguard.policy.decide.ToolCall("login", Map.of("user", "u1", "Password", "hunter2"),
                Map.of("auth", Map.of("token", "t0k3n")));
        try (AuditLog log = open(file)) {
            log.decision("call-1", call, METHOD, deny());
        }
        JsonNode record = JSON.readTree(lines(file).get(1));

        assertThat(record.get("args").get("Password").asText()).isEqualTo("[REDACTED]");
        assertThat(record.get("ctx").get("auth").get("token").asText()).isEqualTo("[REDACTED]");
        assertThat(lines(file).get(1)).doesNotContain("hunter2", "t0k3n");
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
