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
