package dev.toolguard.agent.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttachCommandTest {

    @Test
    void aProcessIdThatIsNotANumberExits2() {
        CliRun run = CliRun.of("attach", "my-app");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("not a process id: my-app");
    }

    @Test
    void noProcessIdExits2() {
        CliRun run = CliRun.of("attach");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("name the process id");
    }

    @Test
    void anUnknownAgentOptionExits2NamingTheKnownOnes() {
        CliRun run = CliRun.of("attach", "4242", "polcy=p.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown option 'polcy'", "config, policy, mode, audit");
    }

    @Test
    void aModeOtherThanEnforceOrShadowExits2() {
        CliRun run = CliRun.of("attach", "4242", "mode=audit-only");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("mode must be enforce or shadow");
    }

    @Test
    void relativePathsBecomeAbsoluteBecauseTheTargetHasItsOwnWorkingDirectory() {
        String options = AttachCommand.agentOptions(List.of("policy=policies/,mode=shadow", "audit=audit.jsonl"));

        assertThat(options).isEqualTo("policy=" + Path.of("policies").toAbsolutePath() + ",mode=shadow,audit="
                + Path.of("audit.jsonl").toAbsolutePath());
    }

    @Test
    void urlsAndStandardErrorStayAsGiven() {
        assertThat(AttachCommand.agentOptions(List.of("policy=https://bundles.example/p.yaml", "audit=-")))
                .isEqualTo("policy=https://bundles.example/p.yaml,audit=-");
    }

    @Test
    void anOptionGivenTwiceIsAnError() {
        assertThatThrownBy(() -> AttachCommand.agentOptions(List.of("mode=shadow,mode=enforce")))
                .hasMessageContaining("option 'mode' given twice");
    }
}
