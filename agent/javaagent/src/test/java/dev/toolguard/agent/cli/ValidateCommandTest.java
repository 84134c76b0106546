package dev.toolguard.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.toolguard.agent.cli.CliRun.resource;
import static org.assertj.core.api.Assertions.assertThat;

class ValidateCommandTest {

    @Test
    void aBundleThatLoadsPrintsOneSummaryLineAndExits0() {
        CliRun run = CliRun.of("validate", resource("/cli/refunds/policy.yaml").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).singleElement().asString()
                .matches("OK refunds golden-1 sha256:[0-9a-f]{64} 1 tools");
    }

    @Test
    void everyErrorIsPrintedAsFileLineColumnMessageAndExits1(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("bad.yaml");
        Files.writeString(policy, """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: bad, version: "1"}
                tools:
                  issue_refund:
                    acton: allow
                """);

        CliRun run = CliRun.of("validate", policy.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines()).isNotEmpty().allSatisfy(line ->
                assertThat(line).matches(".*bad\\.yaml:\\d+:\\d+: .+"));
        assertThat(run.out()).contains("bad.yaml:6:5: ").contains("acton");
        assertThat(run.err()).contains("the bundle does not load");
    }

    @Test
    void aDenyRuleWhoseConditionCanErrorOnCallerInputIsAWarningNamingTheGuard(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("refunds.yaml");
        Files.writeString(policy, """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: refunds, version: "1"}
                forbid:
                  - when: has(ctx.user.suspended) && ctx.user.suspended
                  - when: ctx.user.frozen
                tools:
                  issue_refund:
                    rules:
                      - when: args.amount / args.qty > 100
                        action: deny
                      - when: has(args.qty) && args.qty != 0 && args.amount / args.qty > 50
                        action: require_approval
                      - when: '"support_l1" in ctx.user.roles'
                        action: allow
                    arguments: {properties: {amount: {type: number}, qty: {type: integer}}}
                """);

        CliRun run = CliRun.of("validate", policy.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).hasSize(6);
        assertThat(run.out())
                .contains("refunds.yaml:6:19: warning: forbid[1]: ctx.user.frozen can be missing (the caller controls it):"
                        + " the condition then errors and this forbid entry forbids (errors never widen)")
                .contains("refunds.yaml:10:19: warning: tools.issue_refund.rules[0]: args.amount can be missing")
                .contains("tools.issue_refund.rules[0]: args.qty can be 0", "guard it: args.qty != 0 && …")
                .contains("tools.issue_refund.rules[0]: args.qty can be missing")
                .contains("tools.issue_refund.rules[1]: args.amount can be missing")
                .doesNotContain("forbid[0]", "rules[2]");
        assertThat(run.outLines().get(5)).startsWith("OK refunds 1 sha256:");
    }

    @Test
    void withStrictAWarningFailsTheCheck(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("refunds.yaml");
        Files.writeString(policy, """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: refunds, version: "1"}
                tools:
                  issue_refund:
                    rules:
                      - when: args.amount > 100
                        action: deny
                      - action: allow
                    arguments: {properties: {amount: {type: number}}}
                """);

        CliRun strict = CliRun.of("validate", "--strict", policy.toString());
        CliRun clean = CliRun.of("validate", "--strict", resource("/cli/refunds/policy.yaml").toString());

        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.out()).contains("refunds.yaml:7:19: warning: tools.issue_refund.rules[0]: args.amount can be missing");
        assertThat(strict.out()).doesNotContain("OK refunds");
        assertThat(strict.err()).contains("validate: 1 warning, which --strict makes errors");
        assertThat(clean.exitCode()).as(clean.out() + clean.err()).isZero();
    }

    @Test
    void aPolicyPathThatDoesNotExistExits2OnStderr(@TempDir Path dir) {
        CliRun run = CliRun.of("validate", dir.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("cannot read", "nope.yaml", "no such file or directory");
    }

    @Test
    void noPolicyAtAllExits2() {
        CliRun run = CliRun.of("validate");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("name at least one policy file or directory");
    }
}
