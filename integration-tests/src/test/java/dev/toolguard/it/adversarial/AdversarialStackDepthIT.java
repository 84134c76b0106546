package dev.toolguard.it.adversarial;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.adversarial.apps.DeepLoadApp;
import dev.toolguard.it.adversarial.apps.StackDepthApp;
import dev.toolguard.it.agent.AdviceFailuresExpected;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.toolguard.it.adversarial.Adversary.DENY_RULE;
import static dev.toolguard.it.adversarial.Adversary.bodyRuns;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.1, acceptance: "On Java 17 and 25, a denied tool called at every stack depth near -Xss512k never
 * runs." The apps recurse to {@code StackOverflowError} and call the tool at each of the deepest depths on the
 * way back, round after round; they stop on their own after at most {@link #SECONDS}.
 */
@AdviceFailuresExpected
class AdversarialStackDepthIT {

    /** Depths tried per round, counted up from the deepest: well past where the guard has room to decide. */
    static final String WINDOW = "1500";
    static final String ROUNDS = "20";
    static final String SECONDS = "20";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"warm", "cold"})
    void aDeniedToolCalledAtEveryDepthNearExhaustionNeverRuns(String start) throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = run(s, StackDepthApp.class, "wipe", start, WINDOW, ROUNDS, SECONDS);
        Map<String, String> counts = counts(app);

        assertThat(Long.parseLong(counts.get("calls"))).as("calls made near exhaustion").isGreaterThanOrEqualTo(5_000);
        assertThat(Long.parseLong(counts.get("body runs")))
                .as("body runs of the denied tool in %s calls near exhaustion (first depths %s); the app said:%n%s",
                        counts.get("calls"), counts.get("first depths where the body ran"), app.stdout())
                .isZero();
        assertThat(counts.get("returned")).as("calls that returned instead of throwing").isEqualTo("0");
        if (start.equals("warm")) {
            assertThat(app.stdoutLines()).contains("warm-up: denied rule=" + DENY_RULE + " tool=wipe wrapped=none");
        }
        assertThat(AuditFile.ofType(s.audit(), "decision")).as("decision records that allowed wipe")
                .noneMatch(d -> d.path("action").asText().equals("allow"));
        app.assertAdviceFailuresReportedOncePerSite();
    }

    @Test
    void anAllowedToolCalledAtEveryDepthNearExhaustionRunsOnlyAfterAnAllowingRecord() throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = run(s, StackDepthApp.class, "ping", "warm", WINDOW, ROUNDS, SECONDS);
        Map<String, String> counts = counts(app);

        assertThat(app.stdoutLines()).contains("warm-up: returned pong");
        assertThat(Long.parseLong(counts.get("calls"))).as("calls made near exhaustion").isGreaterThanOrEqualTo(5_000);
        List<JsonNode> decisions = AuditFile.ofType(s.audit(), "decision");
        long allowed = decisions.stream().filter(d -> d.path("tool").asText().equals("ping")
                && d.path("action").asText().equals("allow")).count();
        assertThat(Long.parseLong(counts.get("body runs")))
                .as("body runs of ping (%s allowing decision records); the app said:%n%s", allowed, app.stdout())
                .isLessThanOrEqualTo(allowed);
        app.assertAdviceFailuresReportedOncePerSite();
    }

    /**
     * The same attack on the transformer rather than the advice: a tool class first defined near exhaustion
     * must not come out unguarded (whether the agent then guards it or denies its tools is its choice).
     *
     * <p>Open: where so little stack is left that the JVM cannot even call into its transformers (it prints
     * {@code java.lang.instrument ASSERTION FAILED ... transform method call failed}), the class is defined as it is
     * and no agent is told. The agent retries a transformation that overflowed inside it on a thread with stack to
     * spare, and transforms again a class whose transformation failed, but it cannot see a class it was never
     * offered. Kept here, switched off, so that the gap stays in view (docs/instrumentation.md).
     */
    @Test
    @org.junit.jupiter.api.Disabled("known gap: a class the JVM defines without calling any transformer "
            + "(docs/instrumentation.md, What cannot be guarded)")
    void aToolClassDefinedNearExhaustionIsStillGuarded() throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = run(s, DeepLoadApp.class, "100", SECONDS);

        assertThat(app.stdoutLines()).as("stderr: %s", app.stderr())
                .anySatisfy(l -> assertThat(l).matches("copies defined near exhaustion: [1-9][0-9]* in .*"));
        assertThat(bodyRuns(app, "wipe")).as("copies of the class whose denied body ran (%s); the agent said:%n%s",
                app.stdoutLines().get(0), String.join("\n", app.stderrLines().stream().distinct().limit(5).toList()))
                .isEmpty();
        assertThat(app.stdoutLines()).filteredOn(l -> l.startsWith("copy-")).isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains(": denied rule="));
        assertThat(app.stdoutLines()).last().isEqualTo("done");
        app.assertAdviceFailuresReportedOncePerSite();
    }

    private static AgentProcess run(Scenario s, Class<?> main, String... args) throws Exception {
        AgentProcess app = s.app().agentOptions("config=" + Adversary.policy(s)).jvmArg("-Xss512k")
                .main(main, args).start();
        app.waitFor(Duration.ofSeconds(Long.parseLong(SECONDS) + 60));
        return app;
    }

    /** The {@code name: value} summary lines the app prints at its end. */
    private static Map<String, String> counts(AgentProcess app) {
        assertThat(app.stdoutLines()).as("stderr: %s", app.stderr()).last().isEqualTo("done");
        Map<String, String> counts = new LinkedHashMap<>();
        for (String line : app.stdoutLines()) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                counts.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return counts;
    }
}
