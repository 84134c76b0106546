package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.AttachLegacyLoaderApp;
import dev.toolguard.it.agent.apps.AttachNestedLoadApp;
import dev.toolguard.it.agent.apps.AttachTargetApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SPEC §1 attach: loading the agent into a running JVM guards a tool whose class was loaded before. */
class AttachIT {


    @TempDir
    Path dir;

    @Test
    void attachGuardsAMethodWhoseClassWasLoadedBeforeTheAttach() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        Path config = s.config("");
        Path go = dir.resolve("go");
        try (AgentProcess app = s.app().withoutAgent().main(AttachTargetApp.class, go.toString()).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));
            assertThat(app.stdoutLines()).contains("body ran 900.0", "call 1: ok refunded 900.0");

            AgentProcess.CliResult attach = AgentProcess.cli(dir, "attach", Long.toString(app.pid()), "config=" + config);
            assertThat(attach.exitCode()).as(attach.output()).isZero();
            assertThat(attach.output()).contains("attached ToolGuard to JVM " + app.pid());
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stderr().contains("ToolGuard "));

            Files.writeString(go, "go");
            assertThat(app.waitFor(Duration.ofSeconds(30))).isZero();
            assertThat(app.stdoutLines()).contains("call 2: denied rule=tools.issue_refund.rules[1]", "done")
                    .filteredOn(l -> l.startsWith("body ran")).hasSize(1);
            assertThat(app.stderrLines()).noneMatch(l -> l.contains("could not instrument") || l.contains("advice failed"));
        }
        List<JsonNode> decisions = AuditFile.ofType(s.audit(), "decision");
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.path("action").asText()).isEqualTo("deny");
            assertThat(d.path("rule").asText()).isEqualTo("tools.issue_refund.rules[1]");
        });
        assertThat(AuditFile.ofType(s.audit(), "start").get(0).path("attached").asBoolean()).isTrue();
    }

    /**
     * SPEC §13.5 and §1 attach: an agent that cannot reach its runtime falls back to the last resort, which, attached,
     * also refuses the tools of classes loaded before; before, the tool class, already loaded, went on unguarded.
     */
    @Test
    void anAttachThatCannotReachItsRuntimeStillRefusesAToolWhoseClassWasLoadedBefore() throws Exception {
        Scenario s = new Scenario(dir);
        Path config = s.config("");
        Path go = dir.resolve("go");
        try (AgentProcess app = s.app().withoutAgent().main(AttachTargetApp.class, go.toString()).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));
            assertThat(app.stdoutLines()).contains("call 1: ok refunded 900.0");

            AgentProcess.CliResult attach = AgentProcess.cliOf(FaultyAgent.failingBeforeItsRuntime(dir), dir, "attach",
                    Long.toString(app.pid()), "config=" + config);
            assertThat(attach.exitCode()).as(attach.output()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stderr().contains("as a last resort"));

            Files.writeString(go, "go");
            app.waitFor(Duration.ofSeconds(30));
            // the refusal's exception is the bootstrap path's copy of the API, and this app catches the copy on its
            // own class path, so the denial ends it: what counts is that the body did not run again
            assertThat(app.stdoutLines()).as(app.stderr()).noneMatch(l -> l.startsWith("call 2: ok"))
                    .filteredOn(l -> l.startsWith("body ran")).hasSize(1);
            assertThat(app.stdout() + app.stderr()).contains("ToolCallDeniedException: " + FaultyAgent.UNDECIDED);
            assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l)
                    .startsWith("toolguard: the agent failed to start: ").endsWith(FaultyAgent.LAST_RESORT));
        }
    }

    @Test
    void aToolClassFirstLoadedWhileTheAttachRetransformsAnotherClassIsGuarded() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        Path config = s.config("");
        Path go = dir.resolve("go");
        try (AgentProcess app = s.app().withoutAgent().main(AttachNestedLoadApp.class, go.toString()).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));

            AgentProcess.CliResult attach = AgentProcess.cli(dir, "attach", Long.toString(app.pid()),
                    "config=" + config);
            assertThat(attach.exitCode()).as(attach.output()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stderr().contains("ToolGuard "));

            Files.writeString(go, "go");
            assertThat(app.waitFor(Duration.ofSeconds(30))).isZero();
            assertThat(app.stdoutLines()).as(app.stderr())
                    .contains("call: denied rule=tools.issue_refund.rules[1]", "done")
                    .noneMatch(l -> l.startsWith("body ran"));
        }
    }

    /**
     * SPEC §13.1 and a host that never hangs: the attaching thread holds a legacy loader's lock while the tool class
     * is transformed on a thread of its own that needs the lock. The attach waits 10 s, says so once, defines the
     * class refusing; once the other thread ends, the resubmission guards the class properly.
     */
    @Test
    void aToolClassWhoseTransformationWaitsForTheLoadersLockIsGivenUpAfterTheBoundAndGuardedLater() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        Path config = s.config("");
        Path go = dir.resolve("go");
        String lateTool = AttachNestedLoadApp.LateTool.class.getName();
        try (AgentProcess app = s.app().withoutAgent().main(AttachLegacyLoaderApp.class, go.toString()).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));

            AgentProcess.CliResult attach = AgentProcess.cli(dir, "attach", Long.toString(app.pid()),
                    "config=" + config);
            assertThat(attach.exitCode()).as(attach.output()).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> app.stderr().contains("ToolGuard ")
                    && app.stderr().contains("could not instrument"));
            assertThat(app.stderrLines()).as(app.stderr())
                    .filteredOn(l -> l.contains("could not instrument"))
                    .containsExactly("toolguard: could not instrument " + lateTool + ": transforming " + lateTool
                            + " did not finish within 10 s (its class loader may be locked by the thread loading"
                            + " it), so it was defined without waiting longer; it is transformed again once loaded,"
                            + " when that transformation ends");

            Files.writeString(go, "go");
            assertThat(app.waitFor(Duration.ofSeconds(60))).isZero();
            assertThat(app.stdoutLines()).as(app.stderr())
                    .contains("call: denied rule=tools.issue_refund.rules[1]", "done")
                    .noneMatch(l -> l.startsWith("body ran") || l.startsWith("call: ok") || l.startsWith("call: failed"));
            assertThat(app.stderrLines()).filteredOn(l -> l.contains("could not instrument")).hasSize(1);
        }
    }
}
