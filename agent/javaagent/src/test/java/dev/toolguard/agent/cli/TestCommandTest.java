package dev.toolguard.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.toolguard.agent.cli.CliRun.resource;
import static org.assertj.core.api.Assertions.assertThat;

class TestCommandTest {

    private static final Path SCENARIO = resource("/cli/refunds");

    @Test
    void passingCasesEndWithTheCountsAndExit0() {
        CliRun run = CliRun.of("test", SCENARIO.resolve("policy.yaml").toString(), "--cases", SCENARIO.resolve("cases.yaml").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.outLines()).containsExactly("2 passed, 0 failed");
    }

    @Test
    void aDirectoryHoldingItsCasesFileLoadsOnlyItsPolicies() {
        CliRun run = CliRun.of("test", SCENARIO.toString(), "--cases", SCENARIO.resolve("cases.yaml").toString());

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.lastOutLine()).isEqualTo("2 passed, 0 failed");
    }

    @Test
    void aFailingCasePrintsOneLineNamingItAndExits1(@TempDir Path dir) throws IOException {
        Path cases = dir.resolve("cases.yaml");
        Files.writeString(cases, """
                cases:
                  - name: l1 may refund 150
                    tool: issue_refund
                    args: {customer_id: c1, amount: 150}
                    ctx: {user: {id: u1, roles: [support_l1]}}
                    expect: allow
                  - name: l1 may refund 900
                    tool: issue_refund
                    args: {customer_id: c1, amount: 900}
                    ctx: {user: {id: u1, roles: [support_l1]}}
                    expect: allow
                    rule: tools.issue_refund.rules[0]
                """);

        CliRun run = CliRun.of("test", SCENARIO.resolve("policy.yaml").toString(), "--cases", cases.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.outLines()).containsExactly(
                "FAIL l1 may refund 900 (" + cases + ":7): expected allow; expected rule tools.issue_refund.rules[0], "
                        + "got deny [tools.issue_refund.rules[3]] refund amount not allowed for your role",
                "1 passed, 1 failed");
    }

    @Test
    void aCasesFileWithAnUnknownKeyIsReportedWithItsLocationAndExits2(@TempDir Path dir) throws IOException {
        Path cases = dir.resolve("cases.yaml");
        Files.writeString(cases, "cases:\n  - name: a\n    tool: issue_refund\n    expected: allow\n");

        CliRun run = CliRun.of("test", SCENARIO.resolve("policy.yaml").toString(), "--cases", cases.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(cases + ":4:5: unknown key 'expected'");
    }

    @Test
    void aMissingCasesOptionExits2() {
        CliRun run = CliRun.of("test", SCENARIO.resolve("policy.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing option '--cases'");
    }

    @Test
    void aCasesFileThatDoesNotExistExits2(@TempDir Path dir) {
        CliRun run = CliRun.of("test", SCENARIO.resolve("policy.yaml").toString(), "--cases", dir.resolve("none.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read cases file");
    }

    @Test
    void aPolicyThatDoesNotLoadFailsEveryCaseAndExits1(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("broken.yaml");
        Files.writeString(policy, "apiVersion: toolguard.dev/v1\nkind: Policy\nmetadata: {name: b, version: '1'}\ntools: {t: {action: maybe}}\n");

        CliRun run = CliRun.of("test", policy.toString(), "--cases", SCENARIO.resolve("cases.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("broken.yaml:");
        assertThat(run.lastOutLine()).isEqualTo("0 passed, 2 failed");
    }

    @Test
    void coverageNamesEveryRuleNoCaseDecidesAndThePercentage() {
        CliRun run = CliRun.of("test", SCENARIO.resolve("policy.yaml").toString(), "--cases",
                SCENARIO.resolve("cases.yaml").toString(), "--coverage");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.outLines()).containsExactly(
                "coverage: 3 of 5 items exercised (60.0%)",
                "  not exercised: rule tools.issue_refund.rules[1]",
                "  not exercised: rule tools.issue_refund.rules[2]",
                "2 passed, 0 failed");
    }

    @Test
    void minCoverageFailsBelowTheThresholdWithExit1AndPassesAtIt() {
        String policy = SCENARIO.resolve("policy.yaml").toString();
        String cases = SCENARIO.resolve("cases.yaml").toString();

        CliRun below = CliRun.of("test", policy, "--cases", cases, "--min-coverage", "80");
        CliRun at = CliRun.of("test", policy, "--cases", cases, "--min-coverage", "60%");

        assertThat(below.exitCode()).isEqualTo(1);
        assertThat(below.outLines()).contains("coverage 60.0% is below --min-coverage 80%");
        assertThat(below.lastOutLine()).isEqualTo("2 passed, 0 failed");
        assertThat(at.exitCode()).as(at.out()).isZero();
    }

    @Test
    void aMinCoverageThatIsNotAPercentageIsBadUsage() {
        CliRun run = CliRun.of("test", SCENARIO.resolve("policy.yaml").toString(), "--cases",
                SCENARIO.resolve("cases.yaml").toString(), "--min-coverage", "most");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--min-coverage must be a percentage from 0 to 100, not 'most'");
    }

    @Test
    void coverageCountsToolsForbidEntriesLocksAndSequencesByWhetherTheyFire(@TempDir Path dir) throws IOException {
        Path policy = dir.resolve("policy.yaml");
        Files.writeString(policy, """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: cov, version: "1"}
                forbid:
                  - tools: [drop_table]
                    reason: never
                  - when: has(ctx.user.suspended) && ctx.user.suspended
                    reason: suspended
                tools:
                  reset_password:
                    lock: {email: ctx.user.email}
                    action: allow
                  "crm.*": {action: allow}
                  email.send: {action: allow}
                  drop_table: {action: allow}
                sequences:
                  - name: no-exfiltration
                    after: ["crm.*"]
                    deny: [email.send]
                    within: session
                """);
        Path cases = dir.resolve("cases.yaml");
        Files.writeString(cases, """
                cases:
                  - name: someone else's password
                    tool: reset_password
                    args: {email: x@evil.example}
                    ctx: {user: {id: u1, email: u1@acme.example}}
                    expect: deny
                  - name: crm read
                    tool: crm.read
                    ctx: {user: {id: u1}}
                    expect: allow
                  - name: mail after crm
                    tool: email.send
                    ctx: {user: {id: u1}}
                    history: [crm.read]
                    expect: deny
                """);

        CliRun run = CliRun.of("test", policy.toString(), "--cases", cases.toString(), "--coverage");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.outLines()).containsExactly(
                "coverage: 6 of 12 items exercised (50.0%)",
                "  not exercised: tool drop_table",
                "  not exercised: rule tools.drop_table.rules[0]",
                "  not exercised: rule tools.email.send.rules[0]",
                "  not exercised: rule tools.reset_password.rules[0]",
                "  not exercised: forbid forbid[0]",
                "  not exercised: forbid forbid[1]",
                "3 passed, 0 failed");
    }
}
