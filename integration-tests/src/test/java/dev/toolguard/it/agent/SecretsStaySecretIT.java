package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.SecretArgumentsApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.toolguard.it.agent.apps.SecretArgumentsApp.ACCESS_TOKEN;
import static dev.toolguard.it.agent.apps.SecretArgumentsApp.CARD;
import static dev.toolguard.it.agent.apps.SecretArgumentsApp.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13.10 with the shaded agent: a rule that fails on a password, and a rate-limit key that fails on it, leave
 * the password, the access token and a card number out of the audit file, standard error and the exception text.
 */
class SecretsStaySecretIT {

    private static final String CARD_PATTERN = """
            audit:
              redact_values: ['\\b\\d{4}(?:[ -]?\\d{4}){3}\\b']
            """;

    @TempDir
    static Path dir;
    @TempDir
    static Path stderrDir;
    static Scenario scenario;
    static AgentProcess app;
    static AgentProcess auditToStderr;

    @BeforeAll
    static void runTheApp() throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("secrets.yaml");
        scenario.write("toolguard.yaml", """
                policy:
                  sources: [policies/]
                  reload: 0
                """ + CARD_PATTERN.replace("audit:\n", "audit:\n  file: audit.jsonl\n"));
        app = scenario.app().agentOptions("config=" + scenario.file("toolguard.yaml"))
                .main(SecretArgumentsApp.class).run();

        Scenario toStderr = new Scenario(stderrDir);
        toStderr.policy("secrets.yaml");
        toStderr.write("toolguard.yaml", """
                policy:
                  sources: [policies/]
                  reload: 0
                """ + CARD_PATTERN.replace("audit:\n", "audit:\n  file: '-'\n"));
        auditToStderr = toStderr.app().agentOptions("config=" + toStderr.file("toolguard.yaml"))
                .main(SecretArgumentsApp.class).run();
    }

    private static void assertNoSecret(String text) {
        assertThat(text).doesNotContain(PASSWORD).doesNotContain(ACCESS_TOKEN).doesNotContain(CARD).doesNotContain("4111 1111");
    }

    @Test
    void theFailingRuleOnThePasswordIsRecordedWithRedactedInItsMessage() throws Exception {
        List<JsonNode> decisions = AuditFile.ofType(scenario.audit(), "decision");
        JsonNode login = decisions.get(0);

        assertThat(login.path("tool").asText()).isEqualTo("login");
        assertThat(login.path("action").asText()).isEqualTo("deny");
        assertThat(login.path("reason").asText())
                .isEqualTo("no rule allows this login (1 rule skipped: cannot convert '[REDACTED]' to int)");
        assertThat(login.path("args").path("password").asText()).isEqualTo("[REDACTED]");
        assertThat(login.path("args").path("accessToken").asText()).isEqualTo("[REDACTED]");
        assertThat(login.path("args").path("user").asText()).isEqualTo("ada");
        assertThat(login.path("errors").get(0).path("message").asText())
                .contains("cannot convert '[REDACTED]' to int");
        assertNoSecret(Files.readString(scenario.audit()));
    }

    @Test
    void theExceptionTextShowsRedactedWhereTheReasonQuotedThePassword() {
        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("refresh: denied rule=tools.refresh.rate_limit")
                .contains("reason=the rate limit key could not be computed: cannot convert '[REDACTED]' to int"));
        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("login: denied rule=tools.login.rules[1]"));
        assertThat(app.stdoutLines()).doesNotContain("body ran");
        assertNoSecret(app.stdout());
    }

    @Test
    void aCardNumberMatchingRedactValuesIsHiddenInArgs() throws Exception {
        JsonNode refresh = AuditFile.ofType(scenario.audit(), "decision").get(1);

        assertThat(refresh.path("args").path("note").asText()).isEqualTo("card [REDACTED]");
    }

    @Test
    void standardErrorCarriesNoSecretEvenWithTheAuditLogWrittenToIt() {
        assertNoSecret(app.stderr());
        assertThat(auditToStderr.stderr()).contains("\"type\":\"decision\"").contains("[REDACTED]");
        assertNoSecret(auditToStderr.stderr());
        assertNoSecret(auditToStderr.stdout());
    }
}
