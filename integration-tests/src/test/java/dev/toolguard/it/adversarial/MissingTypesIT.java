package dev.toolguard.it.adversarial;

import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.agent.apps.MissingTypesApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §13.1/§13.2: a class whose super type is missing (a servlet filter without the servlet API) cannot be defined by
 * the JVM, so its failure to be instrumented is not said on standard error; a class missing any other type is defined
 * with each of its methods refusing (it cannot be instrumented, so none of its tools may run undecided), and that is
 * said; a class whose super type its loader makes without a class file is defined after all, and that is said too,
 * and the class is guarded once loaded.
 */
class MissingTypesIT {

    @TempDir
    Path dir;

    /** The classes' directory; {@code quiet.Hidden}'s bytes are left beside it, out of the loader's reach. */
    private Path classes() throws Exception {
        Map<String, String> sources = Map.of(
                "jakarta/servlet/Filter.java", "package jakarta.servlet; public interface Filter { void doFilter(); }",
                "quiet/Gone.java", "package quiet; public class Gone { }",
                "quiet/Hidden.java", "package quiet; public class Hidden { }",
                "quiet/Filt.java", """
                        package quiet;
                        public class Filt implements jakarta.servlet.Filter {
                            public void doFilter() { }
                            @dev.toolguard.api.GuardedTool(name = "filt_tool") public String run(String a) { return a; }
                        }
                        """,
                "quiet/UsesGone.java", """
                        package quiet;
                        public class UsesGone {
                            @dev.toolguard.api.GuardedTool(name = "gone_tool") public String run(Gone g) { return "g"; }
                            @dev.toolguard.api.GuardedTool(name = "safe_tool") public String safe(String a) {
                                System.out.println("quiet.UsesGone safe: body ran");
                                return a;
                            }
                        }
                        """,
                "quiet/Sub.java", """
                        package quiet;
                        public class Sub extends Hidden {
                            @dev.toolguard.api.GuardedTool(name = "sub_tool") public String run(String a) { return a; }
                        }
                        """);
        Path src = dir.resolve("src");
        for (var e : sources.entrySet()) {
            Path file = src.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
        }
        Path out = Files.createDirectories(dir.resolve("classes"));
        List<String> args = new java.util.ArrayList<>(List.of("--release", "17", "-proc:none", "-cp",
                AgentProcess.API_JAR.toString(), "-d", out.toString()));
        sources.keySet().forEach(k -> args.add(src.resolve(k).toString()));
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new))).isZero();
        Files.delete(out.resolve("jakarta/servlet/Filter.class"));
        Files.delete(out.resolve("quiet/Gone.class"));
        Files.move(out.resolve("quiet/Hidden.class"), dir.resolve("Hidden.class"));
        return out;
    }

    @Test
    void onlyAClassTheJvmCannotDefineEitherGoesUnsaidAndOneDefinedAfterAllIsSaidAndGuarded() throws Exception {
        Scenario s = new Scenario(dir);
        s.write("policies/quiet.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: quiet, version: "1"}
                default: deny
                tools:
                  sub_tool: {action: deny}
                """);
        try (AgentProcess app = s.app().agentOptions("config=" + s.config(""))
                .main(MissingTypesApp.class, classes().toString(), dir.resolve("Hidden.class").toString()).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> app.stdout().contains("quiet.Sub:") || !app.alive());
            assertThat(app.stdoutLines()).as(app.stderr()).contains("quiet.UsesGone: defined", "quiet.Sub: defined")
                    .anySatisfy(l -> assertThat(l).startsWith("quiet.Filt: not defined java.lang.NoClassDefFoundError"));
            // the resubmission meets quiet.Sub loaded and says what was held back
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stderr().contains(
                    "could not instrument quiet.Sub as it loaded (its super type quiet.Hidden has no class file"));
            app.send("go");
            assertThat(app.waitFor(Duration.ofSeconds(60))).as(app.stderr()).isZero();

            // guarded once loaded: decided by its rule
            assertThat(app.stdoutLines()).contains("quiet.Sub run: denied rule=tools.sub_tool.rules[0]");
            // not instrumentable: its tools refuse, their bodies never run (SPEC §13.1)
            assertThat(app.stdoutLines()).as(app.stderr()).contains("quiet.UsesGone safe: denied rule=on_error")
                    .doesNotContain("quiet.UsesGone safe: body ran");
            assertThat(app.stderr()).doesNotContain("quiet.Filt")
                    .contains("toolguard: could not instrument quiet.UsesGone: ")
                    .contains("Cannot resolve type description for quiet.Gone")
                    .contains("toolguard: every method of quiet.UsesGone is refused: it may hold tools, and it could not"
                            + " be instrumented");
            // and audited: the attempt is in the log, denied, under the method's name (no tool name can be known)
            assertThat(AuditFile.ofType(s.audit(), "decision")).anySatisfy(d -> {
                assertThat(d.path("tool").asText()).isEqualTo("quiet.UsesGone#safe");
                assertThat(d.path("action").asText()).isEqualTo("deny");
                assertThat(d.path("rule").asText()).isEqualTo("on_error");
                assertThat(d.path("enforced").asBoolean()).isTrue();
                assertThat(d.path("reason").asText()).contains("its class could not be instrumented");
                assertThat(d.path("method").asText()).startsWith("quiet.UsesGone#safe(");
            });
        }
    }
}
