package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.PingLoopApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The audit log as system of record: write-ahead, SIGKILL-proof, tamper-evident, chained across restarts. */
class AuditDurabilityIT {

    @TempDir
    static Path dir;
    static Scenario scenario;

    @BeforeAll
    static void callInATightLoopThenKill() throws Exception {
        scenario = new Scenario(dir);
        scenario.write("policies/ping.yaml", PingPolicy.version(1, "allow"));
        Path config = scenario.config("");
        try (AgentProcess app = scenario.app().agentOptions("config=" + config)
                .main(PingLoopApp.class, scenario.file("markers.txt").toString(), "4", "0",
                        scenario.file("returned.txt").toString()).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> markers().size() >= 2000);
            app.kill();
        }
    }

    static List<String> markers() throws IOException {
        return lines("markers.txt");
    }

    static List<String> lines(String markerFile) throws IOException {
        Path m = scenario.file(markerFile);
        return Files.exists(m) ? Files.readAllLines(m).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    @Test
    void everyCallWhoseBodyRanHasItsDecisionRecordAfterSigkill() throws IOException {
        Set<Long> decided = AuditFile.ofType(scenario.audit(), "decision").stream()
                .filter(d -> d.path("action").asText().equals("allow"))
                .map(d -> d.path("args").path("n").asLong()).collect(Collectors.toSet());
        List<Long> ran = markers().stream().map(Long::parseLong).toList();

        assertThat(ran).hasSizeGreaterThanOrEqualTo(2000);
        assertThat(decided).containsAll(ran);
    }

    @Test
    void everyCallThatReturnedToItsCallerHasItsOutcomeRecordAfterSigkill() throws IOException {
        java.util.Map<String, Long> callOfId = AuditFile.ofType(scenario.audit(), "decision").stream()
                .collect(Collectors.toMap(d -> d.path("id").asText(), d -> d.path("args").path("n").asLong()));
        Set<Long> withOutcome = AuditFile.ofType(scenario.audit(), "outcome").stream()
                .map(o -> callOfId.get(o.path("id").asText())).collect(Collectors.toSet());
        // a caller writes its marker after the guarded call returned, so after the outcome record was written
        List<Long> returned = lines("returned.txt").stream().map(Long::parseLong).toList();

        assertThat(returned).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(withOutcome).containsAll(returned);
    }

    @Test
    void verifyAuditPassesOnTheUntouchedLog() throws Exception {
        AgentProcess.CliResult r = AgentProcess.cli(dir, "verify-audit", scenario.audit().toString());

        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void verifyAuditNamesTheLineOfAModifiedRecord() throws Exception {
        Path copy = tamperedCopy("modified.jsonl", lines -> lines.set(9, lines.get(9).replaceFirst("\"ts\":\"2", "\"ts\":\"1")));

        AgentProcess.CliResult r = AgentProcess.cli(dir, "verify-audit", copy.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("line 10");
    }

    @Test
    void verifyAuditNamesTheLineWhereARecordWasDeleted() throws Exception {
        Path copy = tamperedCopy("deleted.jsonl", lines -> lines.remove(9));

        AgentProcess.CliResult r = AgentProcess.cli(dir, "verify-audit", copy.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("line 10");
    }

    @Test
    void verifyAuditNamesTheLineWhereRecordsWereReordered() throws Exception {
        Path copy = tamperedCopy("reordered.jsonl", lines -> lines.add(10, lines.remove(9)));

        AgentProcess.CliResult r = AgentProcess.cli(dir, "verify-audit", copy.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output()).contains("line 10");
    }

    @Test
    void theChainContinuesAcrossARestart() throws Exception {
        Path config = scenario.file("toolguard.yaml");
        Path log = scenario.file("restart.jsonl");
        Files.copy(scenario.audit(), log);
        String before = lastIntactHash(log);
        Path restartDir = dir.resolve("restart");
        Files.createDirectories(restartDir);
        try (AgentProcess app = AgentProcess.in(restartDir).java(Scenario.java())
                .agentOptions("config=" + config + ",audit=" + log)
                .main(PingLoopApp.class, restartDir.resolve("markers.txt").toString(), "1").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(restartDir.resolve("markers.txt"))
                    && Files.size(restartDir.resolve("markers.txt")) > 100);
            app.kill();
        }

        JsonNode start = AuditFile.records(log).stream().filter(r -> r.path("type").asText().equals("start"))
                .reduce((a, b) -> b).orElseThrow();
        assertThat(start.path("prev").asText()).isEqualTo(before);
        AgentProcess.CliResult r = AgentProcess.cli(dir, "verify-audit", log.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private static String lastIntactHash(Path log) {
        List<JsonNode> records = AuditFile.records(log);
        return records.get(records.size() - 1).path("hash").asText();
    }

    private static Path tamperedCopy(String name, java.util.function.Consumer<List<String>> change) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(scenario.audit()));
        change.accept(lines);
        Path copy = dir.resolve(name);
        Files.write(copy, lines);
        return copy;
    }
}
