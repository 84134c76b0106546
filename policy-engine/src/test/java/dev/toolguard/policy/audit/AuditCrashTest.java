package dev.toolguard.policy.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
                acknowledged = Long.parseLong(out.readLine());
            }
            writer.toHandle().destroyForcibly(); // SIGKILL, leaving our end of its stdout open to drain
            String line;
            while ((line = out.readLine()) != null) {
                acknowledged = Long.parseLong(line);
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

        try (AuditLog reopened = AuditFixtures.open(file)) {
            reopened.outcome("after-restart", null, 0);
        }
        AuditVerification afterRestart = AuditVerifier.verify(file);
        assertThat(afterRestart.ok()).as(afterRestart.message()).isTrue();
        assertThat(afterRestart.records()).isGreaterThan(acknowledged + 2);
    }
}
