package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.it.agent.apps.ApprovalDeskApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §13.11 end to end: checkpoints in a running app's log, {@code GET /audit/anchor}, and
 * {@code verify-audit --anchor} telling a log cut after the anchor from one that was not.
 */
class AuditAnchorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;
    static String anchor;
    static long anchoredCount;
    static String anchoredHash;

    @BeforeAll
    static void callTwiceThenTakeTheAnchor() throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("approvals.yaml");
        Path config = scenario.config("""
                  checkpoint: 100ms
                admin:
                  listen: 127.0.0.1:0
                """);
        String token = UUID.randomUUID().toString();
        app = scenario.app().agentOptions("config=" + config).env("TOOLGUARD_ADMIN_TOKEN", token)
                .main(ApprovalDeskApp.class).start();
        AdminClient admin = AdminClient.of(app, token);
        await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));
        app.send("a1 close_account c-a 0");
        app.send("a2 close_account c-b 0");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> app.stdoutLines().stream().filter(l -> l.startsWith("call a")).count() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> checkpoints(scenario.audit()).size() >= 2);

        HttpResponse<String> r = admin.get("/audit/anchor");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        anchoredHash = body.path("hash").asText();
        anchoredCount = body.path("count").asLong();
        anchor = anchoredHash + ":" + anchoredCount;
    }

    @AfterAll
    static void stopTheApp() throws Exception {
        app.close();
    }

    private static List<JsonNode> checkpoints(Path audit) {
        return Files.exists(audit) ? AuditFile.ofType(audit, "checkpoint") : List.of();
    }

    /** A copy of the log as it stands, with only its first {@code records} lines when that is not negative. */
    private static Path copy(String name, int records) throws Exception {
        List<String> lines = Files.readAllLines(scenario.audit());
        Path copy = scenario.file(name);
        Files.write(copy, records < 0 ? lines : lines.subList(0, records));
        return copy;
    }

    @Test
    void theAnchorNamesARecordOfTheLogByItsNumberAndHash() {
        List<JsonNode> records = AuditFile.records(scenario.audit());

        assertThat(anchoredHash).matches("[0-9a-f]{64}");
        assertThat(records.size()).isGreaterThanOrEqualTo((int) anchoredCount);
        assertThat(records.get((int) anchoredCount - 1).path("hash").asText()).isEqualTo(anchoredHash);
    }

    @Test
    void checkpointsCountTheRecordsUpToThemselves() {
        List<JsonNode> records = AuditFile.records(scenario.audit());

        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).path("type").asText().equals("checkpoint")) {
                assertThat(records.get(i).path("count").asLong()).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void theUncutLogPassesItsAnchorEvenAfterItGrew() throws Exception {
        Path whole = copy("whole.jsonl", -1);

        AgentProcess.CliResult r = AgentProcess.cli(dir, "verify-audit", whole.toString(), "--anchor", anchor);

        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("anchored record " + anchoredCount + " present");
    }

    @Test
    void aLogCutAtALineBoundaryBeforeTheAnchoredRecordFailsThoughItsChainHolds() throws Exception {
        Path cut = copy("cut.jsonl", (int) anchoredCount - 1);

        AgentProcess.CliResult chainOnly = AgentProcess.cli(dir, "verify-audit", cut.toString());
        AgentProcess.CliResult anchored = AgentProcess.cli(dir, "verify-audit", cut.toString(), "--anchor", anchor);

        assertThat(chainOnly.exitCode()).as(chainOnly.output()).isZero();
        assertThat(anchored.exitCode()).as(anchored.output()).isEqualTo(1);
        assertThat(anchored.output()).contains(cut + ":" + anchoredCount + ": the log ends after "
                + (anchoredCount - 1) + " records, but the anchor " + anchor + " names record " + anchoredCount
                + ": the log was cut");
    }
}
