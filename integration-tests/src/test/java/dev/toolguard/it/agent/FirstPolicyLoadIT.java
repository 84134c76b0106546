package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.FirstCallApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent returns to the application before its first policy load has ended (SPEC §13.1 still holds): a guarded call
 * that comes first thing in {@code main}, from several threads at once, waits for the load and is decided by the
 * policy it loaded; a load that does not end within {@code policy.first_load_wait} denies the call saying so. The
 * policy source is a real HTTP server that holds its answer back until the test lets it go.
 */
class FirstPolicyLoadIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int CALLERS = 4;

    @TempDir
    static Path dir;

    static BundleServer released;
    static BundleServer neverAnswers;
    static Scenario waited;
    static Scenario late;
    static AgentProcess waitedApp;
    static AgentProcess lateApp;
    /** What the app had written while the policy source was held back, the load still running. */
    static String stdoutWhileHeld;
    static String stderrWhileHeld;
    static List<JsonNode> decisionsWhileHeld;

    @BeforeAll
    static void runBothApps() throws Exception {
        released = BundleServer.http();
        neverAnswers = BundleServer.http();
        waited = scenario("waited", released, "");
        late = scenario("late", neverAnswers, "  first_load_wait: 1s\n");
        released.holdAnswers();
        neverAnswers.holdAnswers();

        // the late app runs beside the first: nothing the test does lets its source answer
        lateApp = late.app().agentOptions("config=" + late.file("toolguard.yaml"))
                .main(FirstCallApp.class, String.valueOf(CALLERS)).start();
        waitedApp = waited.app().agentOptions("config=" + waited.file("toolguard.yaml"))
                .main(FirstCallApp.class, String.valueOf(CALLERS)).start();

        // the agent asked for the policy and returned to the application, whose main is calling
        await().atMost(WAIT).until(() -> released.asked("ping.yaml") >= 1
                && waitedApp.stdout().contains("calling from " + CALLERS + " threads"));
        // while the source holds its answer, no call is decided and no body runs
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> !waitedApp.stdout().contains("call ")
                && !waitedApp.stdout().contains("body ran") && waitedApp.alive());
        stdoutWhileHeld = waitedApp.stdout();
        stderrWhileHeld = waitedApp.stderr();
        decisionsWhileHeld = AuditFile.ofType(waited.audit(), "decision");

        released.releaseAnswers();
        waitedApp.waitFor(WAIT);
        lateApp.waitFor(WAIT);
    }

    @AfterAll
    static void stopServers() {
        released.close();
        neverAnswers.close();
    }

    private static Scenario scenario(String name, BundleServer server, String extra) throws IOException {
        Scenario s = new Scenario(Files.createDirectories(dir.resolve(name)));
        s.write("release/ping.yaml", PingPolicy.version(1, "allow"));
        server.publish(s.dir.resolve("release"));
        // the held answer must not time the fetch out: the test, not the client, decides when it comes
        s.write("toolguard.yaml", """
                policy:
                  sources: [%sping.yaml]
                  reload: 200ms
                  http: {timeout: 120s}
                %saudit:
                  file: audit.jsonl
                """.formatted(server.url(), extra));
        return s;
    }

    @Test
    void theAgentReturnsBeforeTheFirstLoadEndsAndSaysItsStartLineWhenTheLoadEnds() {
        assertThat(stdoutWhileHeld).contains("calling from " + CALLERS + " threads");
        assertThat(stderrWhileHeld).doesNotContain("started:");
        assertThat(decisionsWhileHeld).isEmpty();
        assertThat(waitedApp.stderrLines()).singleElement().asString()
                .matches("ToolGuard \\S+ started: policy ping version v1 sha256 [0-9a-f]{64}; mode enforce; audit to "
                        + java.util.regex.Pattern.quote(waited.audit().toString())
                        + "; tools: 0 guarded so far, more as classes load");
    }

    @Test
    void everyWaitingCallIsDecidedByThePolicyTheLoadBroughtAndOnlyThenRuns() {
        assertThat(waitedApp.exitCode()).isZero();
        for (String caller : callers()) {
            assertThat(waitedApp.stdoutLines()).containsSubsequence("body ran " + caller,
                    "call " + caller + ": ok pong " + caller);
        }
        List<JsonNode> decisions = AuditFile.ofType(waited.audit(), "decision");
        assertThat(decisions).hasSize(CALLERS).allSatisfy(d -> {
            assertThat(d.path("action").asText()).isEqualTo("allow");
            assertThat(d.path("policy").path("version").asText()).isEqualTo("v1");
        });
        assertThat(AuditFile.ofType(waited.audit(), "outcome")).hasSize(CALLERS);
    }

    @Test
    void theAuditLogStillStartsWithTheStartRecordAndTheLoadedPolicyBeforeAnyDecision() {
        List<JsonNode> records = AuditFile.records(waited.audit());
        assertThat(records.get(0).path("type").asText()).isEqualTo("start");
        assertThat(records.get(1).path("type").asText()).isEqualTo("policy");
        assertThat(records.get(1).path("event").asText()).isEqualTo("loaded");
        assertThat(records.get(2).path("type").asText()).isEqualTo("decision");
    }

    @Test
    void aLoadThatDoesNotEndInTimeDeniesEveryWaitingCallSayingSoAndNoBodyRuns() {
        String message = "Denied by ToolGuard: no policy loaded: the first policy load did not finish within"
                + " policy.first_load_wait (1000 ms) [no_policy]";
        for (String caller : callers()) {
            assertThat(lateApp.stdoutLines()).contains("call " + caller + ": denied rule=no_policy message=" + message);
        }
        assertThat(lateApp.stdout()).doesNotContain("body ran");
        List<JsonNode> decisions = AuditFile.ofType(late.audit(), "decision");
        assertThat(decisions).hasSize(CALLERS).allSatisfy(d -> {
            assertThat(d.path("action").asText()).isEqualTo("deny");
            assertThat(d.path("enforced").asBoolean()).isTrue();
            assertThat(d.path("rule").asText()).isEqualTo("no_policy");
            assertThat(d.path("reason").asText()).contains("did not finish within policy.first_load_wait");
        });
        assertThat(AuditFile.ofType(late.audit(), "outcome")).isEmpty();
    }

    @Test
    void anApplicationWhoseMainEndsBeforeTheLoadEndsNormally() {
        // the loader, still waiting for its source, is a daemon: it keeps no JVM alive
        assertThat(lateApp.stdoutLines()).last().isEqualTo("done");
        assertThat(lateApp.exitCode()).isZero();
        assertThat(lateApp.stderr()).doesNotContain("started:");
    }

    private static List<String> callers() {
        List<String> all = new java.util.ArrayList<>(List.of("main"));
        for (int i = 1; i < CALLERS; i++) {
            all.add("thread-" + i);
        }
        return all;
    }
}
