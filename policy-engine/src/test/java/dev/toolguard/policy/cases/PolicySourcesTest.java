package dev.toolguard.policy.cases;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicySourcesTest {

    @Test
    void aDirectoryHoldingTheCasesFileIsReplacedByItsOtherPolicyFiles(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("b.yaml"), "");
        Files.writeString(dir.resolve("a.json"), "");
        Files.writeString(dir.resolve("notes.txt"), "");
        Files.writeString(dir.resolve("cases.yaml"), "");

        List<String> sources = PolicySources.excludingCasesFile(List.of(dir.toString()), dir.resolve("cases.yaml"));

        assertThat(sources).containsExactly(dir.resolve("a.json").toString(), dir.resolve("b.yaml").toString());
    }

    @Test
    void aDirectoryWithoutTheCasesFileIsKeptAsItIs(@TempDir Path dir) throws IOException {
        Path policies = Files.createDirectory(dir.resolve("policies"));
        Files.writeString(policies.resolve("p.yaml"), "");

        List<String> sources = PolicySources.excludingCasesFile(List.of(policies.toString()), dir.resolve("cases.yaml"));

        assertThat(sources).containsExactly(policies.toString());
    }

    @Test
    void filesAndUrlsAreKeptAsTheyAre(@TempDir Path dir) {
        List<String> given = List.of(dir.resolve("p.yaml").toString(), "https://bundles.example/p.yaml");

        assertThat(PolicySources.excludingCasesFile(given, dir.resolve("cases.yaml"))).isEqualTo(given);
    }
}
