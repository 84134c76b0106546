package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.AttachTargetApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What is guarded, said (SPEC §7, §11, §12): the {@code tools} command lists what a rules file and the built-in
 * modules would guard in an application from its class files; the start line counts the tools guarded by module;
 * {@code GET /tools} lists each with the policy entry deciding it, as classes load; the start record carries the
 * rules.yaml entries found matching nothing at start.
 */
class ToolInventoryIT {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.sample.dir"));

    @TempDir
    Path dir;

    /** A printed row, its columns split on the padding between them. */
    private static List<String> columns(String line) {
        return Arrays.asList(line.trim().split("\\s{2,}"));
    }

    @Test
    void theToolsCommandListsExactlyThePlainJavaSamplesGuardedMethods() throws Exception {
        AgentProcess.CliResult r = AgentProcess.cli(dir, "tools", "--rules", SAMPLE.resolve("rules.yaml").toString(),
                "--classpath", SAMPLE.resolve("target/sample-plain-java.jar").toString());

        assertThat(r.exitCode()).as(r.output()).isZero();
        List<String> lines = r.output().lines().toList();
        assertThat(lines.subList(0, lines.size() - 1)).map(ToolInventoryIT::columns).containsExactly(
                List.of("delete_database", "dev.toolguard.sample.support.SupportTools#deleteDatabase(String)", "guarded-tool"),
                List.of("issue_refund", "dev.toolguard.sample.support.SupportTools#issueRefund(String,double,String)", "guarded-tool"),
                List.of("reset_password", "dev.toolguard.sample.support.SupportTools#resetPassword(String)", "guarded-tool"),
                List.of("email.send_external", "dev.toolguard.sample.support.SupportTools#sendExternalEmail(String,String,String)", "guarded-tool"),
                List.of("crm.read_account", "dev.toolguard.sample.support.legacy.CrmClient#readAccount(String)", "rules"),
                List.of("crm.update_account", "dev.toolguard.sample.support.legacy.CrmClient#updateAccount(String,String,String)", "rules"));
        assertThat(lines.get(lines.size() - 1)).isEqualTo("tools: 6 guarded (guarded-tool 4, rules 2)");
    }

    @Test
    void theToolsCommandNamesAMistypedEntryWithTheNearestNamesAndExits1() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                tools:
                  - class: dev.toolguard.sample.support.legacy.CrmClient
                    method: updateAcount
                  - class: dev.toolguard.sample.support.legacy.CrmClinet
                    method: readAccount
                """);

        AgentProcess.CliResult r = AgentProcess.cli(dir, "tools", "--rules", rules.toString(),
                "--classpath", SAMPLE.resolve("target/sample-plain-java.jar").toString(), "--builtin", "guarded-tool");

        assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("error: " + rules + ":2:5: class dev.toolguard.sample.support.legacy.CrmClient"
                        + " has no method matching 'updateAcount' (did you mean updateAccount?)")
                .contains("error: " + rules + ":4:5: no class on the class path matches class"
                        + " dev.toolguard.sample.support.legacy.CrmClinet (did you mean"
                        + " dev.toolguard.sample.support.legacy.CrmClient?)")
                .contains("tools: 4 guarded (guarded-tool 4)");
    }

    @Test
    void theToolsCommandRefusesARulesFileWithErrorsNamingFileAndLine() throws Exception {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "tools:\n  - class: com.acme.X\n    metod: y\n");

        AgentProcess.CliResult r = AgentProcess.cli(dir, "tools", "--rules", rules.toString(),
                "--classpath", SAMPLE.resolve("target/sample-plain-java.jar").toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output()).contains(rules + ":3:5: ").contains("metod");
    }

    @Test
    void atJvmStartTheStartLineSaysToolsAreGuardedAsTheyLoad_andGetToolsListsThemWithTheirEntry() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        String token = UUID.randomUUID().toString();
        Path config = s.config("admin:\n  listen: 127.0.0.1:0\n");
        Path go = dir.resolve("go");
        try (AgentProcess app = s.app().agentOptions("config=" + config).env("TOOLGUARD_ADMIN_TOKEN", token)
                .main(AttachTargetApp.class, go.toString()).start()) {
            AdminClient admin = AdminClient.of(app, token);
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));

            // the start line came before the application's classes loaded: none of them was guarded yet
            assertThat(app.stderrLines().get(0)).contains("; tools: 0 guarded so far, more as classes load; admin API on ");
            JsonNode tools = AdminClient.parse(admin.get("/tools").body());
            assertThat(tools.path("guarded").asInt()).isEqualTo(1);
            assertThat(tools.path("tools").get(0).toString()).isEqualTo("{\"tool\":\"issue_refund\",\"method\":"
                    + "\"dev.toolguard.it.agent.apps.AttachTargetApp#issueRefund(String,double)\",\"module\":"
                    + "\"guarded-tool\",\"entry\":\"tools.issue_refund\"}");
            Files.writeString(go, "go");
            assertThat(app.waitFor(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void attachedTheStartLineCountsTheToolsByModule_andTheStartRecordCarriesAnEntryMatchingNoMethod() throws Exception {
        Scenario s = new Scenario(dir);
        s.policy("refunds.yaml");
        s.write("rules.yaml", """
                tools:
                  - class: dev.toolguard.it.agent.apps.AttachTargetApp
                    method: issueRefnd
                """);
        Path config = s.config("instrumentation:\n  rules: [rules.yaml]\n");
        Path go = dir.resolve("go");
        try (AgentProcess app = s.app().withoutAgent().main(AttachTargetApp.class, go.toString()).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stdoutLines().contains("ready"));

            AgentProcess.CliResult attach = AgentProcess.cli(dir, "attach", Long.toString(app.pid()), "config=" + config);
            assertThat(attach.exitCode()).as(attach.output()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> app.stderr().contains("ToolGuard "));

            assertThat(app.stderrLines()).anySatisfy(l -> assertThat(l).startsWith("ToolGuard ")
                    .endsWith("; tools: 1 guarded (guarded-tool 1)"));
            Files.writeString(go, "go");
            assertThat(app.waitFor(Duration.ofSeconds(30))).isZero();
        }
        JsonNode start = AuditFile.ofType(s.audit(), "start").get(0);
        String entry = dir.resolve("rules.yaml") + ":2:5 dev.toolguard.it.agent.apps.AttachTargetApp";
        assertThat(start.path("rules_unmatched")).hasSize(1);
        assertThat(start.path("rules_unmatched").get(0).path("entry").asText()).isEqualTo(entry);
        assertThat(start.path("rules_unmatched").get(0).path("problem").asText()).isEqualTo("method_missing");
        assertThat(start.path("rules_unmatched").get(0).path("message").asText()).isEqualTo(dir.resolve("rules.yaml")
                + ":2:5: class dev.toolguard.it.agent.apps.AttachTargetApp has no method matching 'issueRefnd'"
                + " (did you mean issueRefund?)");
        // the policy's records follow the start record, though the policy loaded before the log opened
        assertThat(AuditFile.records(s.audit()).get(0).path("type").asText()).isEqualTo("start");
    }
}
