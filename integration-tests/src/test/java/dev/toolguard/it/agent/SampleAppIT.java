package dev.toolguard.it.agent;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain-java sample as the demo runs it: its own config, policies and rules.yaml, nothing else. */
class SampleAppIT {

    static final Path SAMPLE = Path.of(System.getProperty("toolguard.it.sample.dir"));

    @TempDir
    static Path dir;
    static AgentProcess app;

    @BeforeAll
    static void runTheSample() throws Exception {
        app = AgentProcess.in(dir).java(Scenario.java())
                .agentOptions("config=" + SAMPLE.resolve("toolguard.yaml") + ",audit=" + dir.resolve("audit.jsonl"))
                .main("dev.toolguard.sample.support.SupportAgent", SAMPLE.resolve("target/sample-plain-java.jar"))
                .run();
    }

    private String outcomeOf(String proposedCall) {
        var lines = app.stdoutLines();
        int i = lines.indexOf(proposedCall);
        assertThat(i).as("the sample proposes " + proposedCall + "; stdout:\n" + app.stdout()).isNotNegative();
        return lines.get(i + 1).trim();
    }

    @Test
    void aSmallRefundBySupportIsAllowed() {
        assertThat(outcomeOf("alice> issue_refund {amount=150, customer_id=c-1001, reason=damaged item}"))
                .startsWith("ok: refund of 150.00");
    }

    @Test
    void aLargerRefundBySupportIsDeniedWithTheRulesReason() {
        assertThat(outcomeOf("alice> issue_refund {amount=900, customer_id=c-1002, reason=goodwill}")).isEqualTo(
                "tool error: Denied by policy support-agent: refund amount not allowed for your role [tools.issue_refund.rules[3]]");
    }

    @Test
    void aPasswordResetForSomeoneElseFailsTheLock() {
        assertThat(outcomeOf("alice> reset_password {email=mallory@evil.example}"))
                .startsWith("tool error: Denied by policy support-agent:").endsWith("[tools.reset_password.lock.email]");
    }

    @Test
    void aToolNoRoleGrantsIsDenied() {
        assertThat(outcomeOf("alice> email.send_external {body=hello, subject=hi, to=friend@gmail.example}"))
                .startsWith("tool error: Denied by policy support-agent:").endsWith("[roles]");
    }

    @Test
    void destructiveToolsAreForbidden() {
        assertThat(outcomeOf("alice> delete_database {name=customers}")).isEqualTo(
                "tool error: Denied by policy support-agent: destructive operations are not available to agents [forbid[1]]");
    }

    @Test
    void theCrmClientWithoutToolGuardCodeIsGuardedThroughRulesYaml() {
        assertThat(outcomeOf("bob> crm.update_account {account_id=acct-77, field=tier, value=platinum}"))
                .isEqualTo("ok: acct-77 tier set to platinum");
        assertThat(outcomeOf("alice> crm.read_account {account_id=acct-42}")).startsWith("ok: acct-42");
    }

    @Test
    void emailAfterReadingTheCrmIsDeniedBySequence() {
        assertThat(outcomeOf("bob> email.send_external {body=see you, subject=renewal, to=partner@initech.example}"))
                .startsWith("ok: ");
        assertThat(outcomeOf("bob> email.send_external {body=Globex: silver, subject=accounts, to=partner@initech.example}"))
                .isEqualTo("tool error: Denied by policy support-agent: CRM data may not leave the company by email"
                        + " [sequences.no-crm-exfiltration]");
    }

    @Test
    void aRefundAboveTheManagersLimitNeedsAnApproval() {
        assertThat(outcomeOf("bob> issue_refund {amount=3000, customer_id=c-2001, reason=contract penalty}"))
                .startsWith("tool error: Denied by policy support-agent:").endsWith("[tools.issue_refund.rules[2]]");
    }

    @Test
    void theSampleEndsNormallyWithOnlyTheStartLineOnStandardError() {
        assertThat(app.exitCode()).isZero();
        assertThat(app.stderrLines()).singleElement().asString().startsWith("ToolGuard ");
    }
}
