package dev.toolguard.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code validate} tells an agent config and a rules file from a policy and checks each as the agent reads it, and
 * prints a loading bundle's lint warnings, which {@code --strict} makes fail (SPEC §11).
 */
class ValidateKindsAndLintTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void anAgentConfigIsCheckedAsTheAgentReadsIt_withItsRulesFiles() throws IOException {
        write("rules.yaml", """
                tools:
                  - class: com.acme.CrmClient
                    method: readAccount
                """);
        Path config = write("toolguard.yaml", """
                policy:
                  sources: [policies/]
                mode: enforce
                instrumentation:
                  rules: [rules.yaml]
                """);

        CliRun run = CliRun.of("validate", config.toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.outLines()).containsExactly("OK agent config " + config,
                "OK rules " + dir.resolve("rules.yaml") + ": 1 entry");
    }

    @Test
    void anAgentConfigWithAMistakeGetsLocatedConfigErrors_notPolicyErrors() throws IOException {
        Path config = write("toolguard.yaml", """
                policy:
                  sources: [policies/]
                  reload: soon
                mode: enforce
                audit:
                  fsink: never
                """);

        CliRun run = CliRun.of("validate", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(config + ":3:11: ").contains(config + ":6:3: ").contains("fsink")
                .doesNotContain("apiVersion").doesNotContain("unknown key 'policy'");
        assertThat(run.err()).contains("validate: 2 errors");
    }

    @Test
    void aRulesFileIsRecognisedByItsToolsListAndCheckedWithLocatedErrors() throws IOException {
        Path rules = write("rules.yaml", """
                tools:
                  - class: com.acme.CrmClient
                    metod: updateAccount
                """);

        CliRun run = CliRun.of("validate", rules.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains(rules + ":3:5: ").contains("metod");
        assertThat(run.out()).doesNotContain("apiVersion");
    }

    @Test
    void lintWarningsArePrintedWithTheirPlace_andTheBundleStillValidates() throws IOException {
        Path policy = write("p.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: p, version: "1"}
                roles:
                  l1: [issue_refund, crm.updte_account]
                tools:
                  issue_refund:
                    rules:
                      - when: args.amout <= 200
                        action: allow
                  crm.update_account: {action: allow}
                """);

        CliRun run = CliRun.of("validate", policy.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(3);
        assertThat(run.outLines().get(0)).startsWith(policy + ":5:22: warning: role 'l1' names 'crm.updte_account'")
                .contains("did you mean crm.update_account?").endsWith("[unmatched-tool]");
        assertThat(run.outLines().get(1)).startsWith(policy + ":9:15: warning: 'args.amout' is not checked")
                .endsWith("[unchecked-argument]");
        assertThat(run.lastOutLine()).startsWith("OK p 1 sha256:");
    }

    @Test
    void strictMakesWarningsFail() throws IOException {
        Path policy = write("p.yaml", "tools:\n  t: {action: allow}\n");

        CliRun lenient = CliRun.of("validate", policy.toString());
        CliRun strict = CliRun.of("validate", "--strict", policy.toString());

        assertThat(lenient.exitCode()).isZero();
        assertThat(lenient.out()).contains(policy + ":1:1: warning: the file has no apiVersion and no kind");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.out()).contains("warning: the file has no apiVersion and no kind");
        assertThat(strict.err()).contains("validate: 1 warning, which --strict makes errors");
    }

    @Test
    void strictWithoutWarningsPasses() {
        CliRun run = CliRun.of("validate", "--strict", CliRun.resource("/cli/refunds/policy.yaml").toString());

        assertThat(run.exitCode()).as(run.out()).isZero();
    }
}
