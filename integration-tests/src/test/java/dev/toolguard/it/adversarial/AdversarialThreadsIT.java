package dev.toolguard.it.adversarial;

import dev.toolguard.it.adversarial.apps.ThreadsApp;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.toolguard.it.adversarial.Adversary.DENY_RULE;
import static dev.toolguard.it.adversarial.Adversary.bodyRuns;
import static dev.toolguard.it.adversarial.Adversary.decisions;
import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §13.1 off the main thread: a denied tool called from pool threads and virtual threads never runs. */
class AdversarialThreadsIT {

    @TempDir
    static Path dir;
    static Scenario denied;
    static Scenario allowed;
    static AgentProcess wipe;
    static AgentProcess ping;

    @BeforeAll
    static void callFromOtherThreads() throws Exception {
        denied = Adversary.scenario(dir, "wipe");
        wipe = Adversary.run(denied, ThreadsApp.class, "wipe");
        allowed = Adversary.scenario(dir, "ping");
        ping = Adversary.run(allowed, ThreadsApp.class, "ping");
    }

    @Test
    void aDeniedCallFromSupplyAsyncNeverRunsAndJoinThrowsTheDenialInsideACompletionException() {
        assertDenied("supply-async", "wrapped=CompletionException caller=main");
        // the same path allowed shows where the call ran: on a pool or a fresh thread, never on main
        assertThat(ping.stdoutLines()).anySatisfy(l -> assertThat(l)
                .matches("supply-async: returned ping done supply-async on (fork-join-worker|platform) caller=main"));
    }

    @Test
    void aDeniedCallFromAForkJoinTaskNeverRunsAndTheTaskSeesTheDenial() {
        assertDenied("fork-join", "wrapped=none caller=fork-join-worker");
        assertThat(ping.stdoutLines()).contains("fork-join: returned ping done fork-join caller=fork-join-worker");
    }

    @Test
    void aDeniedCallFromAVirtualThreadNeverRunsAndTheThreadSeesTheDenial() {
        Assumptions.assumeFalse(wipe.stdoutLines().contains("virtual-thread: unsupported"),
                "no virtual threads on this Java");
        assertDenied("virtual-thread", "wrapped=none caller=virtual");
        assertThat(ping.stdoutLines()).contains("virtual-thread: returned ping done virtual-thread caller=virtual");
    }

    @Test
    void everyAllowedCallRanOnceAfterOneDecisionAndEveryBodyThatRanWasAllowedByARecord() {
        assertThat(ping.stdoutLines()).last().isEqualTo("done");
        for (String path : bodyRuns(ping, "ping")) {
            assertThat(decisions(allowed, "ping", path)).as("decision records of ping via %s", path).singleElement()
                    .satisfies(d -> assertThat(d.path("action").asText()).isEqualTo("allow"));
        }
        assertThat(bodyRuns(ping, "ping")).doesNotHaveDuplicates().contains("supply-async", "fork-join");
        Adversary.assertEveryBodyRunWasAllowedByARecord(wipe, denied);
        Adversary.assertEveryBodyRunWasAllowedByARecord(ping, allowed);
    }

    @Test
    void noAdviceFailedSilently() {
        wipe.assertNoAdviceFailures();
        ping.assertNoAdviceFailures();
    }

    private static void assertDenied(String path, String seen) {
        assertThat(wipe.stdoutLines()).last().isEqualTo("done");
        assertThat(bodyRuns(wipe, "wipe")).as("paths on which the denied body ran").doesNotContain(path);
        assertThat(wipe.stdoutLines()).as("what the caller saw")
                .contains(path + ": denied rule=" + DENY_RULE + " tool=wipe " + seen);
        assertThat(decisions(denied, "wipe", path)).as("decision records of wipe via %s", path).singleElement()
                .satisfies(d -> assertThat(d.path("rule").asText()).isEqualTo(DENY_RULE));
    }
}
