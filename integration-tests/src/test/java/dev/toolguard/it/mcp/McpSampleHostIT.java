package dev.toolguard.it.mcp;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP sample as its README runs it: the scripted host launches the support-desk server with the agent and
 * the sample's own toolguard.yaml and policies, and plays its scripted model's calls.
 */
class McpSampleHostIT {

    @TempDir
    static Path dir;
    static List<String> transcript;
    static String stderr;
    static int exitCode;

    @BeforeAll
    static void runTheHost() throws Exception {
        Path sample = SupportDeskServer.SAMPLE;
        Path out = dir.resolve("stdout.txt");
        // the host's arguments are the server's JVM options, as in the README
        Process host = new ProcessBuilder(SupportDeskServer.java().toString(), SupportDeskServer.QUICK_START,
                "-cp", SupportDeskServer.Build.SDK_2.classpath(), "dev.toolguard.sample.mcp.ScriptedHost",
                "-javaagent:" + SupportDeskServer.AGENT_JAR + "=config=" + sample.resolve("toolguard.yaml")
                        + ",audit=" + dir.resolve("audit.jsonl"), SupportDeskServer.QUICK_START)
                .directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(dir.resolve("stderr.txt").toFile())
                .start();
        if (!host.waitFor(240, TimeUnit.SECONDS)) {
            host.destroyForcibly();
            throw new AssertionError("the host did not end; stderr:\n" + Files.readString(dir.resolve("stderr.txt")));
        }
        exitCode = host.exitValue();
        transcript = Files.readAllLines(out);
        stderr = Files.readString(dir.resolve("stderr.txt"));
    }

    private String resultOf(String proposedCall) {
        int i = transcript.indexOf(proposedCall);
        assertThat(i).as("the model proposes " + proposedCall + "; transcript:\n" + String.join("\n", transcript)
                + "\nstderr:\n" + stderr).isNotNegative();
        return transcript.get(i + 1).trim();
    }

    @Test
    void theModelIsOfferedOnlyTheToolsAliceMayCall() {
        assertThat(transcript).as("stderr:\n" + stderr).first().isEqualTo("host: tools offered to the model: issue_refund, lookup_order");
    }

    @Test
    void allowedCallsReturnTheirResults() {
        assertThat(resultOf("model> lookup_order {order_id=A-1001}")).isEqualTo("ok: order A-1001: 2 items, shipped 2026-11-20");
        assertThat(resultOf("model> issue_refund {amount=150, customer_id=c-1001, reason=damaged item}"))
                .isEqualTo("ok: refunded 150.00 to c-1001 (damaged item)");
    }

    @Test
    void theModelReadsTheDenialsAsToolErrors() {
        assertThat(resultOf("model> issue_refund {amount=900, customer_id=c-1002, reason=goodwill}")).isEqualTo(
                "tool error: Denied by policy support-desk: refund amount not allowed for your role [tools.issue_refund.rules[2]]");
        assertThat(resultOf("model> delete_customer {customer_id=c-1002}")).isEqualTo(
                "tool error: Denied by policy support-desk: destructive operations are not available to agents [forbid[0]]");
    }

    @Test
    void theConversationCompletesWithTheModelQuotingTheLastResult() {
        assertThat(transcript).last().isEqualTo("model: Done. The last tool said: \"ok: order A-1002: 1 item, awaiting payment\"");
        assertThat(exitCode).isZero();
    }
}
