package dev.toolguard.policy.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AuditCrashTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesSigkillAndTheChainContinues() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AuditWriterProcess.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long acknowledged = -1;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            while (acknowledged < 2000) {
                acknowledged = Long.parseLong(out.readLine().substring("call-".length()));
            }
            writer.toHandle().destroyForcibly(); // SIGKILL, leaving our end of its stdout open to drain
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged = Long.parseLong(line.substring("call-".length()));
            }
        }
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Set<String> onFile = new HashSet<>();
        for (String line : AuditFixtures.lines(file)) {
            if (line.endsWith("}")) {
                onFile.add(JSON.readTree(line).path("id").asText());
            }
        }
        for (long i = 0; i <= acknowledged; i++) {
            assertThat(onFile).contains("call-" + i);
        }
        assertThat(AuditVerifier.verify(file).ok()).isTrue();

        try (AuditLog reopened = AuditFixtures.open(file, AuditLayout.MAPPED)) {
            reopened.outcome("after-restart", null, 0);
        }
        AuditVerification afterRestart = AuditVerifier.verify(file);
        assertThat(afterRestart.ok()).as(afterRestart.message()).isTrue();
        assertThat(afterRestart.records()).isGreaterThan(acknowledged + 2);
    }

    /**
     * The mapped layout: eight threads append at once when the writer is killed: the file then ends in the zero tail of the writer's map,
     * maybe after a record the kill cut short. It verifies up to its last whole record, holds every acknowledged
     * record exactly once, and the next process cuts the tail and continues the chain.
     */
    @Test
    void aWriterKilledWhileEightThreadsAppendLeavesALogThatVerifiesAndContinues() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AuditWriterProcess.class.getName(), file.toString(), "8",
                String.valueOf(Long.MAX_VALUE), "mapped")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> acknowledged = new HashSet<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            while (acknowledged.size() < 8000) {
                acknowledged.add(out.readLine());
            }
            writer.toHandle().destroyForcibly();
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged.add(line);
            }
        }
        assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        byte[] killed = Files.readAllBytes(file);
        assertThat(killed[killed.length - 1]).as("the map's zero tail is still there").isZero();

        java.util.Map<String, Integer> onFile = new java.util.HashMap<>();
        for (String line : AuditFixtures.lines(file)) {
            if (line.endsWith("}") && line.startsWith("{\"type\":\"outcome\"")) {
                onFile.merge(JSON.readTree(line).path("id").asText(), 1, Integer::sum);
            }
        }
        assertThat(onFile.keySet()).containsAll(acknowledged);
        assertThat(onFile.values()).allMatch(n -> n == 1);
        AuditVerification whenKilled = AuditVerifier.verify(file);
        assertThat(whenKilled.ok()).as(whenKilled.message()).isTrue();
        assertThat(whenKilled.records()).isEqualTo(1 + onFile.size());
        assertThat(whenKilled.notes()).anyMatch(n -> n.contains("ends in zero bytes"));

        try (AuditLog reopened = AuditFixtures.open(file, AuditLayout.MAPPED)) {
            reopened.outcome("after-restart", null, 0);
        }
        byte[] continued = Files.readAllBytes(file);
        assertThat(new String(continued, StandardCharsets.UTF_8)).doesNotContain("\0").endsWith("}\n");
        AuditVerification afterRestart = AuditVerifier.verify(file);
        assertThat(afterRestart.ok()).as(afterRestart.message()).isTrue();
        assertThat(afterRestart.records()).isEqualTo(whenKilled.records() + 2);
    }

    /** The mapped layout: a process that exits without closing its log (as applications do) leaves no zero tail. */
    @Test
    void aNormalExitCutsTheZeroTail() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AuditWriterProcess.class.getName(), file.toString(), "2", "500", "mapped")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();

        String text = Files.readString(file, StandardCharsets.UTF_8);
        AuditVerification verification = AuditVerifier.verify(file);

        assertThat(text).doesNotContain("\0").endsWith("}\n");
        assertThat(verification.ok()).as(verification.message()).isTrue();
        assertThat(verification.records()).isEqualTo(1001);
        assertThat(verification.notes()).isEmpty();
    }
}
