package dev.toolguard.agent.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void noArgumentsPrintsUsageOnStderrAndExits2() {
        CliRun run = CliRun.of();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Usage: java -jar toolguard-agent.jar <command>");
    }

    @Test
    void helpListsEveryCommandOnStdoutAndExits0() {
        CliRun run = CliRun.of("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("validate", "test", "explain", "verify-audit", "attach", "approve", "reject");
    }

    @Test
    void helpOptionOfACommandPrintsThatCommandsUsage() {
        CliRun run = CliRun.of("test", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: java -jar toolguard-agent.jar test <policy>... --cases <cases.yaml>");
    }

    @Test
    void helpWordFollowedByACommandPrintsThatCommandsUsage() {
        CliRun run = CliRun.of("help", "approve");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--admin <url>", "TOOLGUARD_ADMIN_TOKEN");
    }

    @Test
    void everyCommandHasItsOwnHelp() {
        for (String command : Main.commands().keySet()) {
            CliRun run = CliRun.of(command, "-h");
            assertThat(run.exitCode()).as(command).isZero();
            assertThat(run.out()).as(command).startsWith("Usage: java -jar toolguard-agent.jar " + command).contains("Exit codes:");
        }
    }

    @Test
    void anUnknownCommandExits2NamingIt() {
        CliRun run = CliRun.of("deploy");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown command 'deploy'");
    }

    @Test
    void anUnknownOptionExits2NamingItAndPointingToHelp() {
        CliRun run = CliRun.of("validate", "--strikt", "p.yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("toolguard validate: unknown option '--strikt'", "validate --help");
    }

    @Test
    void anOptionWithoutItsValueExits2() {
        CliRun run = CliRun.of("test", "p.yaml", "--cases");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("option '--cases' needs a value");
    }

    @Test
    void versionPrintsTheProductName() {
        CliRun run = CliRun.of("--version");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("ToolGuard ");
    }

    @Test
    void thePublicEntryWritesToTheGivenStreams() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Commands:");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
