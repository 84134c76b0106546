package dev.toolguard.it.adversarial;

import dev.toolguard.it.adversarial.apps.InheritedAnnotationsApp;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.FaultyAgent;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static dev.toolguard.it.adversarial.Adversary.DENY_RULE;
import static dev.toolguard.it.adversarial.Adversary.bodyRuns;
import static dev.toolguard.it.adversarial.Adversary.decisions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.3: an annotation on an interface or abstract method, or on an overridden method, guards every
 * implementation and override, under the name the annotation gives.
 */
class AdversarialInheritedAnnotationsIT {

    static final String[] SHAPES = {"interface", "generic-interface", "abstract-class", "grandparent-interface",
            "override", "override-direct"};

    @TempDir
    static Path dir;
    static Scenario denied;
    static Scenario allowed;
    static AgentProcess wipe;
    static AgentProcess ping;

    @BeforeAll
    static void callEveryShape() throws Exception {
        denied = Adversary.scenario(dir, "wipe");
        wipe = Adversary.run(denied, InheritedAnnotationsApp.class, "wipe");
        allowed = Adversary.scenario(dir, "ping");
        ping = Adversary.run(allowed, InheritedAnnotationsApp.class, "ping");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"interface", "generic-interface", "abstract-class", "grandparent-interface", "override",
            "override-direct"})
    void anImplementationOfADeniedAnnotatedMethodNeverRunsItsBody(String shape) {
        assertThat(bodyRuns(wipe, "wipe")).as("shapes whose unannotated denied body ran").doesNotContain(shape);
        // the rule shows the call was decided as wipe, the annotation's name, not as erase by the default
        assertThat(wipe.stdoutLines()).as("what the caller saw")
                .contains(shape + ": denied rule=" + DENY_RULE + " tool=wipe wrapped=none");
        assertThat(decisions(denied, "wipe", shape)).as("decision records of wipe via %s", shape).singleElement()
                .satisfies(d -> assertThat(d.path("rule").asText()).isEqualTo(DENY_RULE));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"interface", "generic-interface", "abstract-class", "grandparent-interface", "override",
            "override-direct"})
    void anImplementationOfAnAllowedAnnotatedMethodRunsOnceAfterOneDecision(String shape) {
        assertThat(bodyRuns(ping, "ping")).containsOnlyOnce(shape);
        assertThat(ping.stdoutLines()).contains(shape + ": returned ping done " + shape);
        assertThat(decisions(allowed, "ping", shape)).as("decision records of ping via %s", shape).singleElement()
                .satisfies(d -> assertThat(d.path("action").asText()).isEqualTo("allow"));
    }

    @Test
    void bothAppsRanToTheEndAndEveryBodyThatRanWasAllowedByARecord() {
        Adversary.assertBothRanToTheEndAndEveryBodyWasAllowed(wipe, denied, ping, allowed);
    }

    /**
     * SPEC §13.5: an agent that cannot reach its runtime refuses, as a last resort, what the class files show to be a
     * tool, its super types' files included; before, only annotations on a class's own methods were seen, and every
     * shape here ran its body undecided. The allowed tool is called: the last resort decides nothing, so it refuses.
     */
    @Test
    void anAgentThatCannotReachItsRuntimeStillRefusesEveryShapeOfAnInheritedAnnotation() throws Exception {
        Scenario s = Adversary.scenario(dir, "last-resort");
        AgentProcess app = s.app().agentJar(FaultyAgent.failingBeforeItsRuntime(dir))
                .agentOptions("config=" + s.config("")).main(InheritedAnnotationsApp.class, "ping").run();

        assertThat(app.exitCode()).as(app.stderr()).isZero();
        assertThat(bodyRuns(app, "ping")).as("shapes whose body ran undecided").isEmpty();
        for (String shape : SHAPES) {
            assertThat(app.stdoutLines()).contains(shape + ": denied rule=on_error tool=null wrapped=none");
        }
        assertThat(app.stdoutLines()).last().isEqualTo("done");
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l)
                .startsWith("toolguard: the agent failed to start: ").endsWith(FaultyAgent.LAST_RESORT));
    }

    @Test
    void noAdviceFailedSilently() {
        wipe.assertNoAdviceFailures();
        ping.assertNoAdviceFailures();
    }
}
