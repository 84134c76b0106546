package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Java 25's ahead-of-time cache, the start-up recipe for users who can add JVM flags (docs/performance.md). A JVM
 * started from a cache loads and links the application classes the cache holds before {@code premain}, where no
 * transformer sees them, and the application may call them as soon as {@code premain} returns: a tool class archived
 * as it was (by a training run without the agent, or with rules that did not make it a tool) must be retransformed
 * before then. Before this was known, such a class ran its tools undecided. {@code -XX:AOTMode=on} makes a cache that
 * cannot be used an error, so each run below did use its cache. Java 17's dynamic archive is checked beside it.
 */
class AotCacheIT {

    @TempDir
    Path dir;

    /** The apps run on the pass's JVM: the Java 17 pass has no AOT cache to test (-XX:AOTCache is Java 25's). */
    private static void onJava25() {
        assumeTrue(Scenario.java().equals(AgentProcess.JAVA_25), "the AOT cache is Java 25's; the apps run on "
                + Scenario.java());
    }

    /**
     * @param training how the cache was made: {@code without-agent} (the JVM's module graph as the agent makes it,
     *                 {@code java.instrument} added), {@code with-agent}, or {@code with-agent-no-annotations} (an
     *                 earlier config whose rules did not make the class a tool)
     */
    @ParameterizedTest(name = "trained {0}")
    @ValueSource(strings = {"without-agent", "with-agent", "with-agent-no-annotations"})
    void aToolClassStartedFromTheCacheIsDecidedAndADeniedBodyNeverRuns(String training) throws Exception {
        onJava25();
        Path app = appJar(dir.resolve("refund-app.jar"));
        Path cache = dir.resolve("app.aot");
        String bootPath = "-Xbootclasspath/a:" + AgentProcess.AGENT_JAR;

        Scenario trainer = new Scenario(Files.createDirectories(dir.resolve("training")));
        trainer.policy("refunds.yaml");
        AgentProcess.Builder trainingRun = trainer.app().jvmArg(bootPath).jvmArg("-XX:AOTCacheOutput=" + cache)
                .main(RefundApp.class.getName(), app).args("10");
        switch (training) {
            case "without-agent" -> trainingRun.withoutAgent().jvmArg("--add-modules=java.instrument");
            case "with-agent" -> trainingRun.agentOptions("config=" + trainer.config(""));
            default -> trainingRun.agentOptions("config=" + trainer.config("instrumentation:\n  builtin: [mcp]\n"));
        }
        AgentProcess trained = trainingRun.run();
        assertThat(trained.exitCode()).as(trained.stderr()).isZero();
        assertThat(cache).as(trained.stderr()).isRegularFile();

        Scenario s = new Scenario(Files.createDirectories(dir.resolve("run")));
        s.policy("refunds.yaml");
        AgentProcess run = s.app().jvmArg(bootPath).jvmArg("-XX:AOTMode=on").jvmArg("-XX:AOTCache=" + cache)
                .jvmArg("-Xlog:class+load").agentOptions("config=" + s.config(""))
                .main(RefundApp.class.getName(), app).args("10", "900").run();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        if (!training.equals("with-agent")) { // trained with it, the class was transformed, which keeps it out
            assertThat(run.stdoutLines()).as("the tool class came from the cache")
                    .anySatisfy(l -> assertThat(l).contains(RefundApp.class.getName() + " source: shared objects file"));
        }
        assertThat(run.stdoutLines()).as(run.stderr()).contains("body ran 10.0", "done")
                .noneMatch(l -> l.startsWith("body ran 900"))
                .anySatisfy(l -> assertThat(l).startsWith("call 900: denied").contains("rule=tools.issue_refund.rules[1]"));
        List<JsonNode> decisions = AuditFile.ofType(s.audit(), "decision");
        assertThat(decisions).extracting(d -> d.path("action").asText()).containsExactly("allow", "deny");
    }

    /**
     * The last resort of an agent that cannot reach its runtime (SPEC §13.5) sees the classes the cache loaded before
     * {@code premain} too: the tool class is retransformed to refuse before the application calls it.
     */
    @org.junit.jupiter.api.Test
    void theLastResortRefusesAToolClassStartedFromTheCache() throws Exception {
        onJava25();
        Path app = appJar(dir.resolve("refund-app.jar"));
        Path cache = dir.resolve("app.aot");
        Path faulty = FaultyAgent.failingBeforeItsRuntime(dir);
        String bootPath = "-Xbootclasspath/a:" + faulty;
        Scenario trainer = new Scenario(Files.createDirectories(dir.resolve("training")));
        AgentProcess trained = trainer.app().withoutAgent().jvmArg("--add-modules=java.instrument").jvmArg(bootPath)
                .jvmArg("-XX:AOTCacheOutput=" + cache).main(RefundApp.class.getName(), app).args("10").run();
        assertThat(trained.exitCode()).as(trained.stderr()).isZero();

        Scenario s = new Scenario(Files.createDirectories(dir.resolve("run")));
        AgentProcess run = s.app().agentJar(faulty).jvmArg(bootPath).jvmArg("-XX:AOTMode=on")
                .jvmArg("-XX:AOTCache=" + cache).jvmArg("-Xlog:class+load").agentOptions("config=" + s.config(""))
                .main(RefundApp.class.getName(), app).args("10").run();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdoutLines()).as(run.stderr())
                .anySatisfy(l -> assertThat(l).contains(RefundApp.class.getName() + " source: shared objects file"))
                .noneMatch(l -> l.startsWith("body ran"))
                .anySatisfy(l -> assertThat(l).startsWith("call 10: denied").contains("rule=on_error"));
        assertThat(run.stderrLines()).anySatisfy(l -> assertThat(l).endsWith(FaultyAgent.LAST_RESORT));
    }

    /**
     * Java 17's recipe (docs/performance.md): a dynamic class-data-sharing archive made without the agent, which holds
     * the tool class as it was. Such an archive's classes load as the application needs them, each handed to the
     * transformer first, so the tool class is instrumented; this checks that it stays so. Runs on both passes.
     */
    @org.junit.jupiter.api.Test
    void aToolClassInADynamicArchiveMadeWithoutTheAgentIsDecided() throws Exception {
        Path app = appJar(dir.resolve("refund-app.jar"));
        Path archive = dir.resolve("app.jsa");
        String bootPath = "-Xbootclasspath/a:" + AgentProcess.AGENT_JAR;
        Scenario trainer = new Scenario(Files.createDirectories(dir.resolve("training")));
        AgentProcess trained = trainer.app().withoutAgent().jvmArg(bootPath).jvmArg("-XX:ArchiveClassesAtExit=" + archive)
                .main(RefundApp.class.getName(), app).args("10").run();
        assertThat(trained.exitCode()).as(trained.stderr()).isZero();
        assertThat(archive).as(trained.stderr()).isRegularFile();

        Scenario s = new Scenario(Files.createDirectories(dir.resolve("run")));
        s.policy("refunds.yaml");
        AgentProcess run = s.app().jvmArg(bootPath).jvmArg("-XX:SharedArchiveFile=" + archive)
                .agentOptions("config=" + s.config("")).main(RefundApp.class.getName(), app).args("10", "900").run();

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdoutLines()).as(run.stderr()).contains("body ran 10.0", "done")
                .noneMatch(l -> l.startsWith("body ran 900"))
                .anySatisfy(l -> assertThat(l).startsWith("call 900: denied").contains("rule=tools.issue_refund.rules[1]"));
    }

    /** The refund app as a jar: a cache is made only of classes from jars (a class directory is refused). */
    private static Path appJar(Path jar) throws IOException {
        String entry = RefundApp.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(Files.readAllBytes(AgentProcess.TEST_CLASSES.resolve(entry)));
            out.closeEntry();
        }
        return jar;
    }
}
