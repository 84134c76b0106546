package dev.toolguard.it.adversarial;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.adversarial.apps.LangChain4jLookupApp;
import dev.toolguard.it.agent.AdminClient;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.FaultyAgent;
import dev.toolguard.it.agent.PrometheusText;
import dev.toolguard.it.agent.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §13.4: a LangChain4j whose hooked method was renamed ({@code ToolService.executeWithErrorHandling}, where
 * the agent decides programmatic tools). The app starts, but LangChain4j's tool calls are denied, with a reason
 * naming the framework and its version, and the start line, standard error and {@code /metrics} say the module
 * is not applied. The policy allows the tool: only the integration's check can deny it. The same app on a
 * LangChain4j of the expected shape is the control.
 */
class ReshapedFrameworkIT {

    static final String RESHAPED_VERSION = "1.19.0-reshaped";
    static final String NOT_APPLIED = "toolguard_instrumentation{module=\"langchain4j\",status=\"not_applied\"}";
    static final String APPLIED = "toolguard_instrumentation{module=\"langchain4j\",status=\"applied\"}";

    @TempDir
    static Path dir;
    static Run reshaped;

    /** One run of the app: the process (ended), its exit code, its scenario and what {@code /metrics} served while it ran. */
    record Run(Scenario scenario, AgentProcess app, int exitCode, HttpResponse<String> metrics) {
    }

    @BeforeAll
    static void runTheAppOnALangChain4jWhoseHookedMethodWasRenamed() throws Exception {
        reshaped = run(Files.createDirectories(dir.resolve("reshaped")), RESHAPED_VERSION, "runToolCall");
    }

    @Test
    void theAppRunsButItsToolCallIsDeniedNamingTheFrameworkAndItsVersion() {
        assertThat(reshaped.exitCode()).as(reshaped.app().stderr()).isZero();
        assertThat(reshaped.app().stdout()).doesNotContain("body ran");
        assertThat(reshaped.app().stdoutLines()).as(reshaped.app().stderr())
                .anySatisfy(l -> assertThat(l).startsWith("denied rule=on_error message=")
                        .contains("langchain4j").contains(RESHAPED_VERSION));
    }

    @Test
    void theRequestOfAToolCallThatOnlyTheMissingHookCouldDecideIsRefusedByTheModulesFuse() {
        assertThat(reshaped.app().stdoutLines()).doesNotContain("request made for send_email")
                .anySatisfy(l -> assertThat(l).startsWith("request refused rule=on_error message=Denied by ToolGuard: "
                        + "the langchain4j integration does not fit langchain4j " + RESHAPED_VERSION));
    }

    @Test
    void standardErrorSaysTheModuleIsNotAppliedAndNamesTheMissingHook() {
        assertThat(reshaped.app().stderrLines())
                .anySatisfy(l -> assertThat(l).startsWith("toolguard: langchain4j " + RESHAPED_VERSION + ": ")
                        .contains("not applied").contains(StubLangChain4j.HOOKED_METHOD));
    }

    @Test
    void theStartLineSaysTheModuleIsNotApplied() {
        assertThat(reshaped.app().stderrLines()).filteredOn(l -> l.startsWith("ToolGuard ")).singleElement().asString()
                .contains("langchain4j " + RESHAPED_VERSION + " NOT APPLIED");
    }

    @Test
    void metricsReportTheModuleAsNotApplied() {
        assertThat(reshaped.metrics().statusCode()).isEqualTo(200);
        assertThat(PrometheusText.parse(reshaped.metrics().body())).containsEntry(NOT_APPLIED, 1.0);
    }

    @Test
    void theDenialIsAuditedAsOnError() {
        List<JsonNode> decisions = AuditFile.ofType(reshaped.scenario().audit(), "decision");
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.path("tool").asText()).isEqualTo("lookup");
            assertThat(d.path("rule").asText()).isEqualTo("on_error");
            assertThat(d.path("action").asText()).isEqualTo("deny");
        });
    }

    /**
     * SPEC §13.5 beside §13.4: when the agent cannot start, its denying guard still knows which modules do not fit,
     * so the fuse refuses the request that only the missing hook could have decided.
     */
    @Test
    void onAFailedStartTheFuseOfAModuleThatDoesNotFitStillRefuses() throws Exception {
        Path failed = Files.createDirectories(dir.resolve("failed-start"));
        Scenario s = new Scenario(failed);
        Path config = s.config("");
        List<Path> langChain4j = StubLangChain4j.build(failed.resolve("lib"), RESHAPED_VERSION, "runToolCall");
        try (AgentProcess app = s.app().agentOptions("config=" + config).agentJar(FaultyAgent.failingToStart(failed))
                .alsoOnClasspath(langChain4j).main(LangChain4jLookupApp.class).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.stdoutLines().contains("waiting") || !app.alive());
            app.send("done");
            assertThat(app.waitFor(Duration.ofSeconds(30))).as(app.stderr()).isZero();
            assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l)
                    .startsWith("toolguard: the agent failed to start, so every guarded call is denied: "));
            assertThat(app.stdoutLines()).as(app.stderr()).doesNotContain("request made for send_email", "body ran")
                    .anySatisfy(l -> assertThat(l).startsWith("request refused rule=on_error message=Denied by ToolGuard: "
                            + "the langchain4j integration does not fit langchain4j " + RESHAPED_VERSION));
        }
    }

    /**
     * SPEC §13.5 when the agent cannot even reach its runtime: the last resort refuses the constructors of each
     * framework's fuse type, so the request a programmatic tool's executor would run on is never made, on a
     * LangChain4j the hook fits; before, only the annotated tool was refused and the request went on.
     */
    @Test
    void anAgentThatCannotReachItsRuntimeRefusesTheFrameworksToolCallsAtItsFuse() throws Exception {
        Path failed = Files.createDirectories(dir.resolve("last-resort"));
        Scenario s = new Scenario(failed);
        Path config = s.config("");
        List<Path> langChain4j = StubLangChain4j.build(failed.resolve("lib"), "1.19.0", StubLangChain4j.HOOKED_METHOD);
        try (AgentProcess app = s.app().agentOptions("config=" + config)
                .agentJar(FaultyAgent.failingBeforeItsRuntime(failed))
                .alsoOnClasspath(langChain4j).main(LangChain4jLookupApp.class).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.stdoutLines().contains("waiting") || !app.alive());
            app.send("done");
            assertThat(app.waitFor(Duration.ofSeconds(30))).as(app.stderr()).isZero();
            assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l)
                    .startsWith("toolguard: the agent failed to start: ").endsWith(FaultyAgent.LAST_RESORT));
            assertThat(app.stdoutLines()).as(app.stderr()).doesNotContain("request made for send_email", "body ran")
                    .contains("denied rule=on_error message=" + FaultyAgent.UNDECIDED, "request refused rule=on_error message="
                            + FaultyAgent.UNDECIDED);
        }
    }

    /** The control: LangChain4j of the shape the hook was built for, where the same call is allowed. */
    @Test
    void onALangChain4jOfTheExpectedShapeTheCallIsAllowedAndTheModuleApplied() throws Exception {
        Run intact = run(Files.createDirectories(dir.resolve("intact")), "1.19.0", StubLangChain4j.HOOKED_METHOD);

        assertThat(intact.exitCode()).isZero();
        assertThat(intact.app().stdoutLines()).as(intact.app().stderr()).contains("body ran", "ok found order-7", "request made for send_email");
        assertThat(intact.metrics().statusCode()).isEqualTo(200);
        assertThat(PrometheusText.parse(intact.metrics().body())).containsEntry(APPLIED, 1.0);
    }

    /**
     * Runs the app on stub LangChain4j jars of {@code version} whose tool service's call method is named
     * {@code callMethod}, with the admin API on; reads {@code /metrics} once the call was made, then lets it end.
     */
    static Run run(Path dir, String version, String callMethod) throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/lookups.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: lookups, version: "1"}
                default: deny
                tools:
                  lookup:
                    action: allow
                """);
        Path config = s.config("""
                admin:
                  listen: 127.0.0.1:0
                  token_env: TOOLGUARD_ADMIN_TOKEN
                """);
        List<Path> langChain4j = StubLangChain4j.build(dir.resolve("lib"), version, callMethod);
        String token = UUID.randomUUID().toString();
        // the app is compiled against the real LangChain4j, as any application is, and deployed with the stub
        try (AgentProcess app = s.app().agentOptions("config=" + config).env("TOOLGUARD_ADMIN_TOKEN", token)
                .alsoOnClasspath(langChain4j).main(LangChain4jLookupApp.class).start()) {
            AdminClient admin = AdminClient.of(app, token);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!app.alive() && !app.stdoutLines().contains("waiting")) {
                    throw new AssertionError("the app ended before its call; stderr:\n" + app.stderr());
                }
                return app.stdoutLines().contains("waiting");
            });
            HttpResponse<String> metrics = admin.get("/metrics");
            app.send("done");
            return new Run(s, app, app.waitFor(Duration.ofSeconds(30)), metrics);
        }
    }
}
