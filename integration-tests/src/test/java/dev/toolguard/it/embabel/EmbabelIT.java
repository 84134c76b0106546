package dev.toolguard.it.embabel;

import dev.toolguard.agent.instrument.ReshapedJar;
import dev.toolguard.it.agent.AgentProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Embabel sample on the newest Embabel claimed ({@code sample-apps/embabel-support}), and beside it (SPEC §13.4)
 * the same sample on an Embabel the module does not fit: that release with {@code DefaultToolLoop.executeToolCall}
 * renamed and another version, first on the class path. There the question whose call the policy allows is stopped
 * all the same, before any tool runs, by the module's fuse, naming the framework and its version.
 */
class EmbabelIT extends EmbabelSampleRun {

    static final String RESHAPED_VERSION = "0.5.0-reshaped";

    private List<String> reshapedOut;
    private List<String> reshapedErr;

    @Override
    Path sampleJar() {
        return SAMPLE.resolve("target/sample-embabel-support.jar");
    }

    @Override
    String embabelVersion() {
        return System.getProperty("toolguard.it.embabel.version");
    }

    @Override
    AgentProcess startBeside(Path java) throws Exception {
        Path reshapedDir = Files.createDirectories(dir.resolve("reshaped"));
        Path embabel = SAMPLE.resolve("target/lib/embabel-agent-api-" + embabelVersion() + ".jar");
        Path reshaped = ReshapedJar.copy(embabel, reshapedDir.resolve("embabel-agent-api-" + RESHAPED_VERSION + ".jar"),
                "com/embabel/agent/spi/loop/support/DefaultToolLoop.class", "executeToolCall",
                "META-INF/maven/com.embabel.agent/embabel-agent-api/pom.properties", "version=", RESHAPED_VERSION);
        return AgentProcess.in(reshapedDir).java(java).jvmArg(QUICK_START)
                .agentOptions("config=" + SAMPLE.resolve("toolguard.yaml") + ",audit=" + reshapedDir.resolve("audit.jsonl"))
                .main(MAIN, reshaped, sampleJar()).args("call crm_read_account {\"customerId\":\"c-1001\"}").start();
    }

    @Override
    void besideEnded(AgentProcess beside) {
        reshapedOut = beside.stdoutLines();
        reshapedErr = beside.stderrLines();
        assertThat(reshapedOut).as("stdout:\n%s\nstderr:\n%s", beside.stdout(), beside.stderr()).contains("done");
    }

    @Test
    void onAnEmbabelTheModuleDoesNotFitAnAllowedCallIsDeniedBeforeAnyToolRunsNamingTheFrameworkAndItsVersion() {
        assertThat(reshapedOut).noneMatch(l -> l.startsWith("  [tool body]"));
        assertThat(reshapedOut).containsSubsequence("[support] call crm_read_account {\"customerId\":\"c-1001\"}",
                "  failed: Denied by ToolGuard: the embabel integration does not fit embabel " + RESHAPED_VERSION
                        + " found in this application (LoopToolCall on com.embabel.agent.spi.loop.support.DefaultToolLoop"
                        + "#executeToolCall(Tool, ToolCall) finds no such method), so its tool calls are denied [on_error]");
    }

    @Test
    void onAnEmbabelTheModuleDoesNotFitTheStartLineAndStandardErrorSaySo() {
        assertThat(reshapedErr).filteredOn(l -> l.startsWith("ToolGuard ")).singleElement().asString()
                .contains("embabel " + RESHAPED_VERSION + " NOT APPLIED");
        assertThat(reshapedErr).anySatisfy(l -> assertThat(l)
                .startsWith("toolguard: embabel " + RESHAPED_VERSION + ": not applied, so every embabel tool call is denied"));
    }
}
