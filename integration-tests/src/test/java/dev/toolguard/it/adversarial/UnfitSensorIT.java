package dev.toolguard.it.adversarial;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §18 with §13.4: an OkHttp whose call class lacks the methods the egress sensor hooks (a release reshaped under
 * us) could send a tool's HTTP requests unchecked, so a tool whose policy restricts HTTP egress is denied before its
 * body runs, even on its first call, before the application ever touched OkHttp; a tool free to use HTTP runs.
 */
class UnfitSensorIT {

    @TempDir
    Path dir;

    /** {@code okhttp3.internal.connection.RealCall} without {@code execute()} or {@code enqueue(Callback)}. */
    private Path reshapedOkHttp() throws Exception {
        Path source = dir.resolve("stub-src/okhttp3/internal/connection/RealCall.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package okhttp3.internal.connection;

                public class RealCall {
                    public Object runNow() {
                        return null;
                    }
                }
                """);
        Path classes = Files.createDirectories(dir.resolve("stub-classes"));
        int javac = ToolProvider.getSystemJavaCompiler().run(null, null, null, "--release", "17", "-proc:none", "-d",
                classes.toString(), source.toString());
        assertThat(javac).as("javac of the reshaped OkHttp").isZero();
        return classes;
    }

    private AgentProcess run(Scenario s, String httpEgress) throws Exception {
        s.write("policies/refunds.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: support-agent, version: "unfit-1"}
                default: deny
                tools:
                  issue_refund:
                    action: allow
                    egress:
                      http: %s
                """.formatted(httpEgress));
        Path config = s.config("");
        AgentProcess app = s.app().alsoOnClasspath(List.of(reshapedOkHttp())).agentOptions("config=" + config)
                .main(RefundApp.class, "10").start();
        assertThat(app.waitFor(Duration.ofSeconds(60))).as(app.stderr()).isZero();
        return app;
    }

    @Test
    void aToolRestrictingHttpIsDeniedBeforeItsFirstBodyRunsAndTheReasonNamesTheSensor() throws Exception {
        Scenario s = new Scenario(dir);
        AgentProcess app = run(s, "{hosts: [\"payments.internal\"]}");

        assertThat(app.stdout()).as(app.stderr()).doesNotContain("body ran");
        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("call 10: denied")
                .contains("rule=on_error").contains("okhttp egress sensor does not fit"));
        assertThat(app.stderr()).contains("okhttp").contains("calls of tools whose policy restricts http egress are"
                + " denied");
        JsonNode decision = AuditFile.ofType(s.audit(), "decision").get(0);
        assertThat(decision.path("action").asText()).isEqualTo("deny");
        assertThat(decision.path("reason").asText()).contains("http egress of tool 'issue_refund'");
    }

    @Test
    void aToolFreeToUseHttpRunsAsBefore() throws Exception {
        AgentProcess app = run(new Scenario(dir), "allow");

        assertThat(app.stdoutLines()).as(app.stderr()).contains("body ran 10.0", "call 10: ok refunded 10.0 to c1");
    }
}
