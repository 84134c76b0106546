package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code audit.checkpoint} (SPEC §13.11): a duration, default 1m, 0 for none. */
class AuditCheckpointConfigTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String auditSection) throws Exception {
        return ConfigFiles.resolve(dir, "audit:\n" + auditSection);
    }

    @Test
    void theDefaultIsOneMinute() throws Exception {
        ConfigResolver.Result r = resolve("  file: a.jsonl\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().auditCheckpoint()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aDurationSetsTheIntervalAndZeroSwitchesCheckpointsOff() throws Exception {
        assertThat(resolve("  checkpoint: 250ms\n").config().auditCheckpoint()).isEqualTo(Duration.ofMillis(250));
        assertThat(resolve("  checkpoint: 0\n").config().auditCheckpoint()).isZero();
    }

    @Test
    void aValueThatIsNoDurationIsAProblemWithItsPlace() throws Exception {
        ConfigResolver.Result r = resolve("  checkpoint: often\n");

        assertThat(r.problems()).singleElement().hasToString(dir.resolve("toolguard.yaml")
                + ":2:15: audit.checkpoint must be a duration like 500ms, 2s, 5m, 1h or 1d, not 'often'");
    }
}
