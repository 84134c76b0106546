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

    private static String anchorOf(Path file) throws Exception {
        List<String> lines = Files.readAllLines(file);
        String last = lines.get(lines.size() - 1);
        String hash = last.substring(last.lastIndexOf("\"hash\":\"") + 8, last.length() - 2);
        return hash + ":" + lines.size();
    }

    @Test
    void anUncutLogPassesItsAnchor() throws Exception {
        Path file = logOf(3);

        CliRun run = CliRun.of("verify-audit", file.toString(), "--anchor", anchorOf(file));

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.lastOutLine()).isEqualTo("OK 4 records, chain intact, anchored record 4 present");
    }

    @Test
    void aLogCutAtALineBoundaryFailsItsAnchorAndSaysSo() throws Exception {
        Path file = logOf(3);
        String anchor = anchorOf(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        Files.write(file, lines.subList(0, 2));

        CliRun plain = CliRun.of("verify-audit", file.toString());
        CliRun anchored = CliRun.of("verify-audit", file.toString(), "--anchor", anchor);

        assertThat(plain.exitCode()).isZero();
        assertThat(anchored.exitCode()).isEqualTo(1);
        assertThat(anchored.outLines().get(0)).isEqualTo(file + ":3: the log ends after 2 records, but the anchor "
                + anchor + " names record 4: the log was cut (2 records or more are missing from its end)");
    }

    @Test
    void anAnchorWhoseRecordHasAnotherHashFails() throws Exception {
        Path file = logOf(3);
        String otherHash = "ab".repeat(32);

        CliRun run = CliRun.of("verify-audit", file.toString(), "--anchor", otherHash + ":2");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines().get(0)).startsWith(file + ":2: record 2 has hash ")
                .endsWith("not the anchored " + otherHash + ": the log was rewritten after the anchor was taken");
    }

    @Test
    void aMalformedAnchorIsBadUsage() throws Exception {
        Path file = logOf(1);

        CliRun run = CliRun.of("verify-audit", file.toString(), "--anchor", "12345");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--anchor: an anchor is <hash>:<count>");
    }

    @Test
    void aChainedRecordMissingItsFieldsIsNamedByLine() throws Exception {
        Path file = logOf(2);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        // the forger's edit: the second decision reduced to its type and time, and the chain recomputed after it
        String prev = lines.get(1).substring(lines.get(1).lastIndexOf("\"hash\":\"") + 8, lines.get(1).length() - 2);
        String hashed = "{\"type\":\"decision\",\"ts\":\"2026-11-21T10:15:30.123456Z\",\"prev\":\"" + prev + "\"}";
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(hashed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        lines.set(2, hashed.substring(0, hashed.length() - 1) + ",\"hash\":\"" + hash + "\"}");
        Files.write(file, lines);

        CliRun run = CliRun.of("verify-audit", file.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines().get(0)).isEqualTo(file + ":3: the decision record has no \"id\"");
    }
}
