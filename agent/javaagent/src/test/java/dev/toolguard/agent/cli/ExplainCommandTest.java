package dev.toolguard.agent.cli;

import org.junit.jupiter.api.Test;

import static dev.toolguard.agent.cli.CliRun.resource;
import static org.assertj.core.api.Assertions.assertThat;

class ExplainCommandTest {

    private static final String POLICY = resource("/cli/refunds/policy.yaml").toString();
    private static final String L1 = "{\"user\":{\"id\":\"u1\",\"roles\":[\"support_l1\"]},\"tenant\":\"acme\"}";

    @Test
    void aDenialIsPrintedWithEveryFieldOfTheDecision() {
        CliRun run = CliRun.of("explain", POLICY, "--tool", "issue_refund",
                "--args", "{\"customer_id\":\"c1\",\"amount\":500}", "--ctx", L1);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).startsWith(
                "action:   deny",
                "enforced: true",
                "reason:   refund amount not allowed for your role",
                "rule:     tools.issue_refund.rules[3]",
                "field:    -");
        assertThat(run.out()).containsPattern("policy:   refunds golden-1 sha256:[0-9a-f]{64}\n")
                .containsPattern("latency:  \\d+ ns\n")
                .contains("trace:\n");
    }

    @Test
    void everyTraceStepGetsAnIndentedLine() {
        CliRun run = CliRun.of("explain", POLICY, "--tool", "issue_refund",
                "--args", "{\"customer_id\":\"c1\",\"amount\":150}", "--ctx", L1);

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).contains("action:   allow", "rule:     tools.issue_refund.rules[0]");
        int trace = run.outLines().indexOf("trace:");
        assertThat(run.outLines().subList(trace + 1, run.outLines().size()))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).startsWith("  "))
                .anySatisfy(line -> assertThat(line).contains("tools.issue_refund.rules[0]"));
    }

    @Test
    void aFailingArgumentNamesItsField() {
        CliRun run = CliRun.of("explain", POLICY, "--tool", "issue_refund",
                "--args", "{\"customer_id\":\"c1\",\"amount\":-5}", "--ctx", L1);

        assertThat(run.exitCode()).isZero();
        assertThat(run.outLines()).contains("rule:     tools.issue_refund.arguments", "field:    /amount");
    }

    @Test
    void argumentsThatAreNotJsonExit2() {
        CliRun run = CliRun.of("explain", POLICY, "--tool", "issue_refund", "--args", "{amount: 5");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--args is not valid JSON");
    }

    @Test
    void aContextThatIsNotAnObjectExits2() {
        CliRun run = CliRun.of("explain", POLICY, "--tool", "issue_refund", "--ctx", "[1,2]");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--ctx must be a JSON object");
    }

    @Test
    void aMissingToolExits2() {
        CliRun run = CliRun.of("explain", POLICY, "--args", "{}");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing option '--tool'");
    }
}
