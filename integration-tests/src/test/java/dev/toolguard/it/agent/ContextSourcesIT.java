package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.MdcRefundApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The context a policy sees, from the application's own SLF4J MDC and from system properties. */
class ContextSourcesIT {

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;

    @BeforeAll
    static void runTheApp() throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("refunds.yaml");
        Path config = scenario.config("""
                context:
                  - mdc: {user.id: userId, user.roles: roles, session.id: sessionId}
                  - system-property: {tenant: app.tenant}
                """);
        app = scenario.app().agentOptions("config=" + config).property("app.tenant", "acme")
                .alsoOnClasspath(AgentProcess.testClasspathJars("slf4j-api", "logback-classic", "logback-core"))
                .main(MdcRefundApp.class, "150").run();
    }

    @Test
    void theApplicationsMdcDecidesWhoIsCalling() {
        assertThat(app.stdoutLines()).contains("call 150: ok refunded 150.0");
    }

    @Test
    void theContextIsAuditedWithRolesAsAListAndUnsetKeysAbsent() {
        JsonNode ctx = AuditFile.ofType(scenario.audit(), "decision").get(0).path("ctx");

        assertThat(ctx.path("user").path("id").asText()).isEqualTo("u-mdc");
        assertThat(ctx.path("user").path("roles").toString()).isEqualTo("[\"support_l1\",\"auditor\"]");
        assertThat(ctx.path("tenant").asText()).isEqualTo("acme");
        assertThat(ctx.has("session")).isFalse();
    }
}
