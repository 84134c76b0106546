package dev.toolguard.it.docs;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sample-apps/fleet} as docs/fleet.md tells users to run it: its driver, FleetDemo.java, on the built jars,
 * makes a key, signs and serves the bundle, starts Redis and three replicas, drives the calls and checks what
 * happened (it exits 1 otherwise). Run once, on the first JVM only: what it shows does not depend on the JVM, and
 * {@code FleetApprovalsIT} runs the replicas on both.
 */
class FleetSampleIT {

    static final Path FLEET = Path.of(System.getProperty("toolguard.it.sample.dir")).resolveSibling("fleet");

    @TempDir
    Path dir;

    @Test
    void theFleetSampleRunsAsDocumentedAndBehavesAsItSays() throws Exception {
        Assumptions.assumeTrue(Scenario.java().equals(AgentProcess.JAVA_17), "run on the first JVM only");
        Assumptions.assumeTrue(onPath("redis-server"), "redis-server is not on the PATH");
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(List.of(AgentProcess.JAVA_17.toString(), FLEET.resolve("FleetDemo.java").toString(),
                "--agent", AgentProcess.AGENT_JAR.toString(), "--api", AgentProcess.API_JAR.toString(),
                "--sample", FLEET.resolveSibling("plain-java").resolve("target/sample-plain-java.jar").toString(),
                "--fleet", FLEET.toString(), "--work", dir.resolve("work").toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("FleetDemo did not end:\n" + Files.readString(out));
        }
        String output = Files.readString(out);

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("bundle revision 1 signed by key",
                "rate limit reached: at most 5 calls per 1h [tools.issue_refund.rate_limit]",
                "a: ok: acct-77 tier set to platinum", "\"revision\":1", "The fleet behaved as described.");
        assertThat(Files.readString(FLEET.resolve("run.sh"))).contains("sample-apps/fleet/FleetDemo.java");
    }

    private static boolean onPath(String binary) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, binary))) {
                return true;
            }
        }
        return false;
    }
}
