package dev.toolguard.it.koog;

import dev.toolguard.agent.instrument.koog.KoogModuleTest;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.4 for Koog: the Koog sample on a Koog whose tool-call method was renamed
 * ({@code GenericAgentEnvironment.executeTool}, where the agent decides every call) and whose manifest says
 * {@value KoogModuleTest#RESHAPED}. The application starts, but the agent's run is stopped by the module's fuse before
 * any tool, with a reason naming the framework and its version, and the start line and standard error say the module
 * is not applied. The question asks for a tool the policy allows: only the integration's check can deny it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KoogReshapedIT {

    static final String REFUSAL = "Denied by ToolGuard: the koog integration does not fit koog " + KoogModuleTest.RESHAPED
            + " found in this application (EnvironmentToolCall on ai.koog.agents.core.environment.GenericAgentEnvironment"
            + "#executeTool(Call, ToolCallMetadata, Continuation) finds no such method), so its tool calls are denied"
            + " [on_error]";

    List<String> out;
    List<String> err;

    @BeforeAll
    void runTheSampleOnAKoogWhoseToolCallMethodWasRenamed(@TempDir Path dir) throws Exception {
        Path sample = KoogSampleRun.SAMPLE.resolve("target/sample-koog-support.jar");
        Path reshaped = KoogModuleTest.reshape(KoogSampleRun.SAMPLE.resolve("target/lib/agents-core-jvm-1.1.1.jar"), dir);
        // ahead of the sample's jar, whose manifest puts the real agents-core behind it on the class path
        try (AgentProcess app = AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + KoogSampleRun.SAMPLE.resolve("toolguard.yaml") + ",audit=" + dir.resolve("audit.jsonl"))
                .main(KoogSampleRun.MAIN, reshaped, sample)
                .args("call crm_read_account {\"customerId\":\"c-1001\"}").start()) {
            app.waitFor(Duration.ofSeconds(120));
            out = app.stdoutLines();
            err = app.stderrLines();
            assertThat(out).as("stdout:\n%s\nstderr:\n%s", app.stdout(), app.stderr()).contains("done");
        }
    }

    @Test
    void theAgentsRunIsStoppedBeforeAnyToolNamingTheFrameworkAndItsVersionAndTheAppGoesOn() {
        assertThat(out).noneMatch(l -> l.startsWith("  [tool body]"));
        assertThat(out).containsSubsequence("[support] call crm_read_account {\"customerId\":\"c-1001\"}",
                "  run failed: dev.toolguard.api.ToolCallDeniedException: " + REFUSAL, "done");
    }

    @Test
    void theStartLineAndStandardErrorSayTheModuleIsNotApplied() {
        assertThat(err).filteredOn(l -> l.startsWith("ToolGuard ")).singleElement().asString()
                .contains("koog " + KoogModuleTest.RESHAPED + " NOT APPLIED");
        assertThat(err).anySatisfy(l -> assertThat(l)
                .startsWith("toolguard: koog " + KoogModuleTest.RESHAPED + ": not applied, so every koog tool call is denied: ")
                .endsWith("(this agent supports koog 1.0 to 1.1)"));
    }
}
