package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.AttachTargetApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Lint warnings of the bundle the agent loads: said once on stderr, listed in {@code GET /policy}; the bundle decides. */
class PolicyLintAtLoadIT {

    @TempDir
    Path dir;

    @Test
    void aLoadedBundlesWarningsAreSaidOnceOnStderrAndListedInGetPolicy() throws Exception {
        Scenario s = new Scenario(dir);
        Path policy = s.write("policies/refunds.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: refunds, version: "1"}
                roles:
                  support_l1: [issue_refund, isue_refund]
                tools:
                  issue_refund:
                    action: allow
                """);
        String token = UUID.randomUUID().toString();
        Path config = s.config("admin:\n  listen: 127.0.0.1:0\n");
        Path go = dir.resolve("go");
        try (AgentProcess app = s.app().agentOptions("config=" + config).env("TOOLGUARD_ADMIN_TOKEN", token)
                .main(AttachTargetApp.class, go.toString()).start()) {
            AdminClient admin = AdminClient.of(app, token);
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));

            String warning = policy + ":5:30: warning: role 'support_l1' names 'isue_refund', which no tools entry"
                    + " matches: that tool is decided by default (deny) before role 'support_l1' is looked at"
                    + " (did you mean issue_refund?) [unmatched-tool]";
            assertThat(app.stderrLines()).filteredOn(l -> l.contains("warning:"))
                    .containsExactly("toolguard: policy " + warning);
            JsonNode status = AdminClient.parse(admin.get("/policy").body());
            assertThat(status.path("warnings")).hasSize(1);
            assertThat(status.path("warnings").get(0).asText()).isEqualTo(warning);
            // a warning is no error: the bundle decides
            assertThat(app.stdoutLines()).contains("call 1: ok refunded 900.0");
            Files.writeString(go, "go");
            assertThat(app.waitFor(Duration.ofSeconds(30))).isZero();
        }
    }
}
