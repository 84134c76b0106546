package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Without a usable policy or config the agent denies every guarded call, says why, and never crashes the app. */
class FailClosedIT {

    @TempDir
    Path dir;

    @Test
    void withNoPolicyEveryGuardedCallIsDeniedAndTheStartLineSaysSo() throws Exception {
        Scenario s = new Scenario(dir);

        AgentProcess app = s.app().agentOptions("audit=" + s.audit()).main(RefundApp.class, "10").run();

        assertThat(app.stdoutLines()).contains("done").anySatisfy(l -> assertThat(l).startsWith("call 10: denied")
                .contains("rule=no_policy").contains("Denied by ToolGuard: no policy loaded"));
        assertThat(app.stdout()).doesNotContain("body ran");
        assertThat(app.stderrLines()).singleElement().asString().contains("no policy loaded");
        assertThat(AuditFile.ofType(s.audit(), "decision")).singleElement()
                .satisfies(d -> assertThat(d.path("rule").asText()).isEqualTo("no_policy"));
    }

    @Test
    void aConfigErrorIsReportedWithItsPlaceAndDeniesEveryCall() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        Path config = s.config("mode: enforce\nmodus: shadow\n");

        AgentProcess app = s.app().agentOptions("config=" + config).main(RefundApp.class, "10").run();

        assertThat(app.exitCode()).isZero();
        assertThat(app.stderr()).contains(config + ":7:1: unknown key 'modus'");
        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("call 10: denied").contains("rule=no_policy"));
        assertThat(app.stdout()).doesNotContain("body ran");
    }

    @Test
    void inShadowModeADenialIsAuditedButTheCallRuns() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        Path config = s.config("");

        AgentProcess app = s.app().agentOptions("config=" + config + ",mode=shadow").main(RefundApp.class, "900").run();

        assertThat(app.stdoutLines()).contains("body ran 900.0");
        JsonNode decision = AuditFile.ofType(s.audit(), "decision").get(0);
        assertThat(decision.path("action").asText()).isEqualTo("deny");
        assertThat(decision.path("enforced").asBoolean()).isFalse();
        assertThat(app.stderrLines()).singleElement().asString().contains("mode shadow");
    }

    @Test
    void anInjectedEngineFailureIsDeniedAsOnErrorAndTheAppKeepsRunning() throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = refundsUnder(s, FaultyAgent.failingToDecide(dir), "", "10", "20");

        assertThat(app.stdoutLines()).filteredOn(l -> l.startsWith("call ")).hasSize(2)
                // the model reads that the call was not decided, not what failed inside (SPEC §13.6)
                .allSatisfy(l -> assertThat(l).contains("denied").contains("rule=on_error")
                        .endsWith("message=ToolGuard could not decide this call (internal error) [on_error]"));
        assertThat(app.stdoutLines()).last().isEqualTo("done");
        assertThat(app.stdout()).doesNotContain("body ran");
        assertThat(AuditFile.ofType(s.audit(), "decision")).hasSize(2).allSatisfy(d -> {
            assertThat(d.path("rule").asText()).isEqualTo("on_error");
            assertThat(d.path("action").asText()).isEqualTo("deny");
        });
        // said once per site, however many calls fail there (SPEC §13.1)
        assertThat(app.stderrLines()).filteredOn(l -> l.startsWith("toolguard: internal error")).singleElement()
                .asString().isEqualTo("toolguard: internal error while deciding a call of issue_refund at "
                        + "dev.toolguard.it.agent.apps.RefundApp#issueRefund(String,double), decided by on_error (deny):"
                        + " internal error while deciding (" + FaultyAgent.ENGINE_FAILURE + ")");
    }

    @Test
    void withOnErrorAllowAnEngineFailureAllowsTheCallAndAuditsThatItDid() throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = refundsUnder(s, FaultyAgent.failingToDecide(dir), "on_error: allow\n", "10");

        assertThat(app.stdoutLines()).contains("body ran 10.0", "call 10: ok refunded 10.0 to c1");
        assertThat(AuditFile.ofType(s.audit(), "decision")).singleElement().satisfies(d -> {
            assertThat(d.path("rule").asText()).isEqualTo("on_error");
            assertThat(d.path("action").asText()).isEqualTo("allow");
        });
    }

    @Test
    void anAgentThatFailsToStartDeniesEveryGuardedCallAndSaysWhy() throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = refundsUnder(s, FaultyAgent.failingToStart(dir), "", "10");

        assertThat(app.exitCode()).isZero();
        assertThat(app.stdoutLines()).contains("done").anySatisfy(l -> assertThat(l).startsWith("call 10: denied")
                .contains("rule=on_error").contains("Denied by ToolGuard: the agent failed to start"));
        assertThat(app.stdout()).doesNotContain("body ran");
        assertThat(app.stderrLines()).singleElement().asString()
                .isEqualTo("toolguard: the agent failed to start, so every guarded call is denied:"
                        + " " + FaultyAgent.START_FAILURE);
    }

    /**
     * SPEC §13.5 where the start fails before the runtime: {@code AgentMain} cannot load it, so no failed start's
     * guard exists; as a last resort each method annotated as a tool is defined refusing, and the rest of its class
     * (here {@code main}) runs.
     */
    @Test
    void anAgentThatCannotReachItsRuntimeStillRefusesAnnotatedToolsAndSaysWhatItLeavesUnguarded() throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = refundsUnder(s, FaultyAgent.failingBeforeItsRuntime(dir), "", "10");

        assertThat(app.exitCode()).isZero();
        assertThat(app.stdoutLines()).contains("done").anySatisfy(l -> assertThat(l).startsWith("call 10: denied")
                .contains("rule=on_error").endsWith("message=ToolGuard could not decide this call (internal error) [on_error]"));
        assertThat(app.stdout()).doesNotContain("body ran");
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l)
                .startsWith("toolguard: the agent failed to start: java.lang.ClassFormatError: ")
                .endsWith(FaultyAgent.LAST_RESORT));
    }

    /**
     * At JVM start the transformer is installed beside the application (InstallGate); a class that may hold tools and
     * loads before it waits for it. When the installation fails, each such class is refused as a class that could not
     * be instrumented is (every method of it), and the application goes on: before, a failed installation left every
     * tool running undecided.
     */
    @Test
    void aStartWhoseInstallationFailsBesideTheApplicationRefusesTheClassesThatMayHoldTools() throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = legacyTools(s, FaultyAgent.failingToInstall(dir));

        assertThat(app.exitCode()).as(app.stderr()).isZero();
        // the tools of a class glob, of an implements entry and of the app's own annotation, and the rest of their
        // classes: none ran; the application's main class, which holds no tools, runs to its end
        for (int call = 1; call <= 7; call++) {
            assertThat(app.stdoutLines()).as(app.stderr()).contains("call " + call + ": denied ToolCallDeniedException "
                    + "ToolGuard could not decide this call (internal error) [on_error]");
        }
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran")).contains("done");
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l)
                .startsWith("toolguard: installing the instrumentation failed: java.lang.NoClassDefFoundError: ")
                .endsWith("; every class that may hold tools is refused: its methods are denied"));
        // each refused call is audited like any other denial
        assertThat(AuditFile.ofType(s.audit(), "decision")).hasSize(7).allSatisfy(d -> {
            assertThat(d.path("action").asText()).isEqualTo("deny");
            assertThat(d.path("rule").asText()).isEqualTo("on_error");
            assertThat(d.path("reason").asText()).contains("its class could not be instrumented");
        });
    }

    /** The refund app calling its tool with {@code amounts}, under the refunds policy, a config and a faulty agent. */
    private static AgentProcess refundsUnder(Scenario s, Path agentJar, String config, String... amounts)
            throws Exception {
        s.policy("refunds.yaml");
        Path file = s.config(config);
        return s.app().agentJar(agentJar).agentOptions("config=" + file).main(RefundApp.class, amounts).run();
    }

    /** The legacy app, whose tools a {@code rules.yaml} names (class glob, implements, its own annotation), run. */
    private AgentProcess legacyTools(Scenario s, Path agentJar) throws Exception {
        s.policy("legacy.yaml");
        try (java.io.InputStream in = getClass().getResourceAsStream("/it-rules/legacy-rules.yaml")) {
            java.nio.file.Files.copy(in, dir.resolve("rules.yaml"));
        }
        Path config = s.config("instrumentation:\n  rules: [rules.yaml]\n");
        return s.app().agentJar(agentJar).agentOptions("config=" + config)
                .main(dev.toolguard.it.agent.apps.LegacyToolsApp.class).run();
    }


    /** The same start, for the tools a {@code rules.yaml} names: by class glob, by implements, by the app's annotation. */
    @Test
    void anAgentThatCannotReachItsRuntimeStillRefusesTheToolsOfItsRulesFiles() throws Exception {
        AgentProcess app = legacyTools(new Scenario(dir), FaultyAgent.failingBeforeItsRuntime(dir));

        assertThat(app.exitCode()).as(app.stderr()).isZero();
        for (int call = 1; call <= 6; call++) {
            assertThat(app.stdoutLines()).contains("call " + call + ": denied ToolCallDeniedException "
                    + "ToolGuard could not decide this call (internal error) [on_error]");
        }
        assertThat(app.stdoutLines()).noneMatch(l -> l.startsWith("body ran refund") || l.startsWith("body ran lookup")
                || l.startsWith("body ran archive"));
        // a method no entry names runs
        assertThat(app.stdoutLines()).contains("body ran describe t-1", "call 7: ok ticket t-1", "done");
        assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).endsWith(FaultyAgent.LAST_RESORT));
    }
}
