package dev.toolguard.agent.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tools}: bad usage and unreadable input exit 2 with a message; the listing itself is run in ToolInventoryIT. */
class ToolsCommandTest {

    @TempDir
    Path dir;

    @Test
    void withoutAClassPathItExits2() {
        CliRun run = CliRun.of("tools");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing option '--classpath'");
    }

    @Test
    void aClassPathEntryThatDoesNotExistExits2NamingIt() {
        CliRun run = CliRun.of("tools", "--classpath", dir.resolve("nope.jar").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cannot read class path entry", "nope.jar", "no such file or directory");
    }

    @Test
    void anUnknownModuleExits2NamingTheKnownOnes() {
        CliRun run = CliRun.of("tools", "--classpath", dir.toString(), "--builtin", "langchain");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("unknown module 'langchain'", "langchain4j");
    }

    @Test
    void aRulesFileWithErrorsExits2WithFileAndLine() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), "tools:\n  - class: com.acme.X\n    metod: y\n");

        CliRun run = CliRun.of("tools", "--rules", rules.toString(), "--classpath", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(rules + ":3:5: ").contains("metod");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anEmptyClassPathDirectoryGuardsNothing() {
        CliRun run = CliRun.of("tools", "--classpath", dir.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.outLines()).containsExactly("tools: 0 guarded");
    }

    @Test
    void helpShowsTheOptions() {
        CliRun run = CliRun.of("tools", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("--rules", "--classpath", "--builtin", "without\nloading or running");
    }
}
