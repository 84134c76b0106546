package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.ForeignLibrariesApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §1: the agent's own libraries never clash with the application's. The app brings older Jackson,
 * SnakeYAML, SLF4J 1.7 with Logback 1.2 and ByteBuddy than the agent has inside, and runs unchanged.
 */
class IsolationIT {

    static final Path FOREIGN = Path.of(System.getProperty("toolguard.it.foreign.libs"));

    @TempDir
    static Path dir;
    static Path tmp;
    static AgentProcess app;

    @BeforeAll
    static void runTheApp() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        tmp = Files.createDirectory(dir.resolve("java-tmp"));
        app = s.app().agentOptions("config=" + s.config("")).property("java.io.tmpdir", tmp.toString())
                .main(ForeignLibrariesApp.class.getName(), classpath()).run();
    }

    private static Path[] classpath() throws IOException {
        try (Stream<Path> jars = Files.list(FOREIGN)) {
            return Stream.concat(Stream.of(AgentProcess.TEST_CLASSES), jars.sorted()).toArray(Path[]::new);
        }
    }

    @Test
    void theAgentsOwnClassesAndLibrariesAreInvisibleToTheApplication() {
        assertThat(app.stdoutLines()).contains("sees dev.toolguard.agent.runtime.AgentRuntime: false",
                "sees dev.toolguard.shaded.bytebuddy.ByteBuddy: false",
                "sees dev.toolguard.shaded.jackson.databind.ObjectMapper: false");
    }

    @Test
    void theAgentWritesNoClassesToDiskForTheBootstrapPath() throws IOException {
        // a file there would be one another user of the machine could put in place first
        try (Stream<Path> written = Files.walk(tmp)) {
            assertThat(written.filter(Files::isRegularFile)).isEmpty();
        }
        assertThat(app.stdoutLines()).contains("done");
    }

    @Test
    void theAppsOwnJacksonIsTheOneItUses() {
        assertThat(app.stdoutLines()).contains("jackson jackson-databind-2.17.2.jar read 42");
    }

    @Test
    void theAppsOwnSnakeYamlIsTheOneItUses() {
        assertThat(app.stdoutLines()).contains("snakeyaml snakeyaml-1.33.jar read v");
    }

    @Test
    void theAppsOwnSlf4jBindsItsOwnLogbackAndLogs() {
        assertThat(app.stdoutLines()).contains("slf4j slf4j-api-1.7.36.jar logback logback-classic-1.2.13.jar")
                .anySatisfy(l -> assertThat(l).contains("INFO").endsWith("- hello from the app's own logback"));
    }

    @Test
    void theAppsOwnByteBuddyMakesClasses() {
        assertThat(app.stdoutLines()).contains("bytebuddy byte-buddy-1.14.19.jar made dev.toolguard.it.Made");
    }

    @Test
    void toolsAreGuardedAsEverywhere() {
        List<String> out = app.stdoutLines();
        assertThat(out).contains("body ran 150.0", "call 150.0: ok refunded 150.0",
                "call 900.0: denied rule=tools.issue_refund.rules[1]", "done");
        assertThat(out).doesNotContain("body ran 900.0");
    }

    @Test
    void neitherSideWarnsAboutTheOther() {
        assertThat(app.exitCode()).isZero();
        assertThat(app.stderrLines()).singleElement().asString().startsWith("ToolGuard ");
    }
}
