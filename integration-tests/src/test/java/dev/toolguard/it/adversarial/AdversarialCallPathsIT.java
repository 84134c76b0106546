package dev.toolguard.it.adversarial;

import dev.toolguard.it.adversarial.apps.CallPathsApp;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static dev.toolguard.it.adversarial.Adversary.DENY_RULE;
import static dev.toolguard.it.adversarial.Adversary.bodyRuns;
import static dev.toolguard.it.adversarial.Adversary.decisions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.1 against every way of calling a method: a denied tool's body never runs, whichever path the call
 * takes, and an allowed tool's body runs once per call, each time after exactly one decision.
 */
class AdversarialCallPathsIT {

    @TempDir
    static Path dir;
    static Scenario denied;
    static Scenario allowed;
    static AgentProcess wipe;
    static AgentProcess ping;

    @BeforeAll
    static void callEveryPath() throws Exception {
        denied = Adversary.scenario(dir, "wipe");
        wipe = Adversary.run(denied, CallPathsApp.class, "wipe");
        allowed = Adversary.scenario(dir, "ping");
        ping = Adversary.run(allowed, CallPathsApp.class, "ping");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "direct, none",
            // Method.invoke wraps whatever the method threw, the denial included
            "reflection, InvocationTargetException",
            "method-handle-virtual, none",
            "method-handle-static, none",
            "method-reference, none",
            "lambda, none",
            "super-call, none",
            "bridge, none",
            "default-method, none",
            "record, none",
            "static, none"})
    void aDeniedToolNeverRunsItsBodyAndTheCallerSeesTheDenial(String path, String wrapped) {
        assertThat(bodyRuns(wipe, "wipe")).as("paths on which the denied body ran").doesNotContain(path);
        assertThat(wipe.stdoutLines()).as("what the caller saw")
                .contains(path + ": denied rule=" + DENY_RULE + " tool=wipe wrapped=" + wrapped);
        assertThat(decisions(denied, "wipe", path)).as("decision records of wipe via %s", path).singleElement()
                .satisfies(d -> {
                    assertThat(d.path("action").asText()).isEqualTo("deny");
                    assertThat(d.path("rule").asText()).isEqualTo(DENY_RULE);
                });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "reflection", "method-handle-virtual", "method-handle-static", "method-reference",
            "lambda", "super-call", "bridge", "default-method", "record", "static"})
    void anAllowedToolRunsItsBodyOnceAfterOneDecision(String path) {
        assertThat(bodyRuns(ping, "ping")).as("paths on which the allowed body ran").containsOnlyOnce(path);
        assertThat(ping.stdoutLines()).as("what the caller saw").contains(path + ": returned ping done " + path);
        // one call, one decision: the bridge and an override calling super are not a second call of the tool
        assertThat(decisions(allowed, "ping", path)).as("decision records of ping via %s", path).singleElement()
                .satisfies(d -> assertThat(d.path("action").asText()).isEqualTo("allow"));
    }

    @Test
    void bothAppsRanToTheEndAndEveryBodyThatRanWasAllowedByARecord() {
        Adversary.assertBothRanToTheEndAndEveryBodyWasAllowed(wipe, denied, ping, allowed);
    }

    @Test
    void noAdviceFailedSilently() {
        wipe.assertNoAdviceFailures();
        ping.assertNoAdviceFailures();
    }
}
