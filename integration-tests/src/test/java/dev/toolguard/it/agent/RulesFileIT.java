package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.LegacyToolsApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §7: code with no ToolGuard in it, guarded by rules.yaml by class glob, by implements and by annotation. */
class RulesFileIT {

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;

    @BeforeAll
    static void runTheApp() throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("legacy.yaml");
        try (InputStream in = RulesFileIT.class.getResourceAsStream("/it-rules/legacy-rules.yaml")) {
            Files.copy(in, dir.resolve("rules.yaml"));
        }
        Path config = scenario.config("""
                instrumentation:
                  rules: [rules.yaml]
                context:
                  - system-property: {user.id: app.user}
                  - api: {}   # the app sets nothing with runAs; listed last, the agent has no override to warn of
                """);
        app = scenario.app().agentOptions("config=" + config).property("app.user", "u-prop")
                .main(LegacyToolsApp.class).run();
    }

    private static List<JsonNode> decisions() {
        return AuditFile.ofType(scenario.audit(), "decision");
    }

    @Test
    void aClassNamedByGlobIsGuardedInEveryOverloadWithTheRulesArgumentNames() {
        assertThat(app.stdoutLines()).contains("call 1: ok refunded 150.0",
                "call 2: denied ToolCallDeniedException Denied by policy legacy: refunds above 200 need a person"
                        + " [tools.issue_refund.rules[1]]",
                "call 3: ok refunded 50.0 for late delivery");
        assertThat(app.stdout()).doesNotContain("body ran refund 900");
        JsonNode three = decisions().get(2);
        assertThat(three.path("tool").asText()).isEqualTo("issue_refund");
        assertThat(three.path("args").toString()).isEqualTo("{\"customer_id\":\"c1\",\"amount\":50.0,\"reason\":\"late delivery\"}");
        assertThat(three.path("method").asText())
                .isEqualTo("dev.toolguard.it.agent.apps.legacy.BillingService#issueRefund(String,double,String)");
    }

    @Test
    void anImplementationOfANamedInterfaceIsGuardedWithItsCompiledParameterNames() {
        assertThat(app.stdoutLines()).contains("call 4: ok found order-7",
                "call 5: denied ToolCallDeniedException Denied by policy legacy: secrets are not looked up by agents"
                        + " [tools.lookup.rules[1]]");
        assertThat(app.stdout()).doesNotContain("body ran lookup secret");
        assertThat(decisions().get(3).path("args").toString()).isEqualTo("{\"input\":\"order-7\"}");
    }

    @Test
    void aMethodWithTheApplicationsOwnAnnotationTakesItsNameFromTheAttribute() {
        assertThat(app.stdoutLines()).contains("call 6: denied ToolCallDeniedException Denied by policy legacy:"
                + " archives are read-only for agents [tools.archive_ticket.rules[0]]");
        assertThat(app.stdout()).doesNotContain("body ran archive");
        assertThat(decisions().get(5).path("tool").asText()).isEqualTo("archive_ticket");
    }

    @Test
    void methodsNoRuleNamesAreNotTools() {
        assertThat(app.stdoutLines()).contains("body ran describe t-1", "call 7: ok ticket t-1", "done");
        assertThat(decisions()).hasSize(6);
    }

    @Test
    void nothingWentWrongInTheInstrumentation() {
        assertThat(app.exitCode()).isZero();
        assertThat(app.stderrLines()).singleElement().asString().startsWith("ToolGuard ");
    }
}
