package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.RefundApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shadow mode decides and audits as enforce would, with {@code enforced:false}, and blocks nothing it covers:
 * for the whole agent from the config file's {@code mode: shadow}, and for one policy file's own
 * {@code mode: shadow} beside an enforced file. (The agent option {@code mode=shadow} is in FailClosedIT.)
 */
class ShadowIT {

    @TempDir
    static Path dir;
    static Scenario configShadow;
    static Scenario fileShadow;
    static AgentProcess configShadowApp;
    static AgentProcess fileShadowApp;

    @BeforeAll
    static void runBothAppsAtOnce() throws Exception {
        configShadow = new Scenario(Files.createDirectories(dir.resolve("config-shadow")));
        configShadow.policy("refunds.yaml");
        Path config = configShadow.config("mode: shadow\n");
        fileShadow = new Scenario(Files.createDirectories(dir.resolve("file-shadow")));
        fileShadow.policy("refunds.yaml");
        fileShadow.policy("lower-cap-shadow.yaml");
        Path enforcing = fileShadow.config("");

        configShadowApp = configShadow.app().agentOptions("config=" + config).main(RefundApp.class, "150", "900").start();
        fileShadowApp = fileShadow.app().agentOptions("config=" + enforcing).main(RefundApp.class, "50", "150", "900").start();
        configShadowApp.waitFor(Duration.ofSeconds(60));
        fileShadowApp.waitFor(Duration.ofSeconds(60));
    }

    private static JsonNode decisionFor(Scenario s, double amount) {
        List<JsonNode> found = AuditFile.ofType(s.audit(), "decision").stream()
                .filter(d -> d.path("args").path("amount").asDouble() == amount).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void withModeShadowInTheConfigAWouldBeDenialIsAuditedNotEnforcedAndTheToolRuns() {
        assertThat(configShadowApp.stdoutLines()).contains("body ran 900.0", "call 900: ok refunded 900.0 to c1");
        JsonNode d = decisionFor(configShadow, 900);
        assertThat(d.path("action").asText()).isEqualTo("deny");
        assertThat(d.path("enforced").asBoolean()).isFalse();
        assertThat(d.path("rule").asText()).isEqualTo("tools.issue_refund.rules[1]");
        assertThat(d.path("reason").asText()).isEqualTo("refund amount not allowed for your role");
    }

    @Test
    void withModeShadowInTheConfigEveryDecisionIsAuditedAsNotEnforced() {
        assertThat(AuditFile.ofType(configShadow.audit(), "decision")).hasSize(2)
                .allSatisfy(d -> assertThat(d.path("enforced").asBoolean()).isFalse());
        assertThat(decisionFor(configShadow, 150).path("action").asText()).isEqualTo("allow");
        assertThat(AuditFile.ofType(configShadow.audit(), "start").get(0).path("mode").asText()).isEqualTo("shadow");
        assertThat(configShadowApp.stderrLines()).singleElement().asString().contains("; mode shadow;");
    }

    @Test
    void aShadowFilesWouldBeDenialIsAuditedNotEnforcedAndTheToolRuns() {
        assertThat(fileShadowApp.stdoutLines()).contains("body ran 150.0", "call 150: ok refunded 150.0 to c1");
        JsonNode d = decisionFor(fileShadow, 150);
        assertThat(d.path("action").asText()).isEqualTo("deny");
        assertThat(d.path("enforced").asBoolean()).isFalse();
        assertThat(d.path("rule").asText()).isEqualTo("forbid[0]");
        assertThat(d.path("reason").asText()).isEqualTo("refunds above 100 need a second look");
    }

    @Test
    void theEnforcedFileBesideAShadowFileStillBlocks() {
        assertThat(fileShadowApp.stdoutLines()).contains("call 900: denied security=true cause=null"
                + " rule=tools.issue_refund.rules[1] message=Denied by policy support-agent: refund amount not allowed"
                + " for your role [tools.issue_refund.rules[1]]");
        assertThat(fileShadowApp.stdout()).doesNotContain("body ran 900");
        JsonNode d = decisionFor(fileShadow, 900);
        assertThat(d.path("action").asText()).isEqualTo("deny");
        assertThat(d.path("enforced").asBoolean()).isTrue();
    }

    @Test
    void aCallTheShadowFileWouldAllowIsAnEnforcedAllow() {
        assertThat(fileShadowApp.stdoutLines()).contains("call 50: ok refunded 50.0 to c1");
        JsonNode d = decisionFor(fileShadow, 50);
        assertThat(d.path("action").asText()).isEqualTo("allow");
        assertThat(d.path("enforced").asBoolean()).isTrue();
        assertThat(fileShadowApp.stderrLines()).singleElement().asString().contains("; mode enforce;");
    }
}
