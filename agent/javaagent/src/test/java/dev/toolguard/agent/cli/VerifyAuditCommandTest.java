package dev.toolguard.agent.cli;

import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VerifyAuditCommandTest {

    @TempDir
    Path dir;

    private Path logOf(int decisions) throws Exception {
        Path file = dir.resolve("audit.jsonl");
        try (AuditLog log = AuditLog.open(AuditConfig.toFile(file.toString()), Map.of("test", true))) {
            for (int i = 0; i < decisions; i++) {
                Decision d = new Decision(Action.ALLOW, true, "ok", "tools.ping.rules[0]", null, "p", "1",
                        "0".repeat(64), 10, null, List.of());
                log.decision(log.newId(), new ToolCall("ping", Map.of("n", (long) i), Map.of()), "A#ping(long)", d);
            }
        }
        return file;
    }

    @Test
    void anUntouchedLogPassesAndCountsItsRecords() throws Exception {
        Path file = logOf(3);

        CliRun run = CliRun.of("verify-audit", file.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.lastOutLine()).isEqualTo("OK 4 records, chain intact");
    }

    @Test
    void aModifiedRecordIsNamedByFileAndLineAndExits1() throws Exception {
        Path file = logOf(3);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(2, lines.get(2).replace("\"n\":1", "\"n\":7"));
        Files.write(file, lines);

        CliRun run = CliRun.of("verify-audit", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines().get(0)).startsWith(file + ":3: ");
    }

    @Test
    void aDeletedRecordBreaksTheChainAtTheLineAfterIt() throws Exception {
        Path file = logOf(3);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(1);
        Files.write(file, lines);

        CliRun run = CliRun.of("verify-audit", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines().get(0)).startsWith(file + ":2: ");
    }

    @Test
    void aMissingFileIsBadInputAndExits2() {
        CliRun run = CliRun.of("verify-audit", dir.resolve("nope.jsonl").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read");
    }
}
