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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code audit.layout: mapped} through the agent: four threads call a guarded tool without pause until the process is
 * killed with SIGKILL, so that the file is left as the map had it (records, perhaps one cut short, then the zero tail).
 * Every call that ran is on record, and {@code verify-audit} accepts the log with every record written.
 */
class MappedAuditLayoutIT {

    @TempDir
    static Path dir;
    static Scenario scenario;

    @BeforeAll
    static void callFromFourThreadsThenKill() throws Exception {
        scenario = new Scenario(dir);
        scenario.write("policies/ping.yaml", PingPolicy.version(1, "allow"));
        Path config = scenario.config("  layout: mapped\n");
        try (AgentProcess app = scenario.app().agentOptions("config=" + config)
                .main(PingLoopApp.class, scenario.file("markers.txt").toString(), "4", "0",
                        scenario.file("returned.txt").toString()).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines("markers.txt").size() >= 2000);
            app.kill();
        }
    }

    static List<String> lines(String markerFile) throws IOException {
        Path m = scenario.file(markerFile);
        return Files.exists(m) ? Files.readAllLines(m).stream().filter(l -> !l.isBlank()).toList() : List.of();
    }

    @Test
    void theKilledWriterLeftTheZeroTailOfItsMap() throws IOException {
        byte[] log = Files.readAllBytes(scenario.audit());

        assertThat(log[log.length - 1]).as("the file ends in the zero bytes mapped ahead of its records").isZero();
    }

    @Test
    void everyCallWhoseBodyRanHasItsDecisionAndEveryReturnedCallItsOutcome() throws IOException {
        Set<Long> decided = AuditFile.ofType(scenario.audit(), "decision").stream()
                .filter(d -> d.path("action").asText().equals("allow"))
                .map(d -> d.path("args").path("n").asLong()).collect(Collectors.toSet());
        Map<String, Long> callOfId = AuditFile.ofType(scenario.audit(), "decision").stream()
                .collect(Collectors.toMap(d -> d.path("id").asText(), d -> d.path("args").path("n").asLong()));
        Set<Long> withOutcome = AuditFile.ofType(scenario.audit(), "outcome").stream()
                .map(o -> callOfId.get(o.path("id").asText())).collect(Collectors.toSet());
        List<Long> ran = lines("markers.txt").stream().map(Long::parseLong).toList();
        List<Long> returned = lines("returned.txt").stream().map(Long::parseLong).toList();

        assertThat(ran).hasSizeGreaterThanOrEqualTo(2000);
        assertThat(decided).containsAll(ran);
        assertThat(returned).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(withOutcome).containsAll(returned);
    }

    /**
     * {@code copytruncate} under the running agent: the log cut to nothing while two threads call without pause. The
     * host survives with every thread: no InternalError reaches the application, the agent says why the log failed,
     * and from then on every call is denied (its body no longer runs).
     */
    @Test
    void aLogCutUnderTheRunningAgentFailsClosedWithoutAFaultInTheApplication() throws Exception {
        Path cutDir = dir.resolve("cut");
        Files.createDirectories(cutDir);
        Scenario cut = new Scenario(cutDir);
        cut.write("policies/ping.yaml", PingPolicy.version(1, "allow"));
        Path config = cut.config("  layout: mapped\n");
        try (AgentProcess app = cut.app().agentOptions("config=" + config)
                .main(PingLoopApp.class, cut.file("markers.txt").toString(), "2").start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> markerCount(cut) >= 500);
            try (java.io.RandomAccessFile rotator = new java.io.RandomAccessFile(cut.audit().toFile(), "rw")) {
                rotator.setLength(0);
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> app.stderr().contains("cannot write the audit log"));
            long ranBefore = markerCount(cut);
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> markerCount(cut) == ranBefore);

            assertThat(app.alive()).isTrue();
            // the fault of a copy, or the region's watch, whichever saw the cut first
            assertThat(app.stderr()).contains("under its writer").contains("copytruncate")
                    .doesNotContain("InternalError").doesNotContain("Exception in thread");
        }
    }

    private static long markerCount(Scenario s) throws IOException {
        Path m = s.file("markers.txt");
        return Files.exists(m) ? Files.readAllLines(m).stream().filter(l -> !l.isBlank()).count() : 0;
    }

    @Test
    void verifyAuditAcceptsTheLogWithEveryRecordWritten() throws Exception {
        List<JsonNode> written = AuditFile.records(scenario.audit());

        AgentProcess.CliResult r = AgentProcess.cli(dir, "verify-audit", scenario.audit().toString());

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("OK " + written.size() + " records").contains("ends in zero bytes");
    }
}
