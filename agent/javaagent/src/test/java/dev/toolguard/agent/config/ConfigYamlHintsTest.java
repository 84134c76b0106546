package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * toolguard.yaml is read by the one located reader the policy loader uses: the same located syntax errors with
 * the same hints (issue 17), and duplicate keys named with both lines.
 */
class ConfigYamlHintsTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String yaml) throws IOException {
        return ConfigFiles.resolve(dir, yaml);
    }

    @Test
    void aValueStartingWithAQuoteAndGoingOnGetsTheQuotingHint() throws IOException {
        ConfigResolver.Result r = resolve("mode: enforce\naudit:\n  file: \"audit\".jsonl\n");

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(dir.resolve("toolguard.yaml") + ":3:16");
            assertThat(p.message()).isEqualTo("not valid YAML: expected <block end>, but found '<scalar>'\n"
                    + "  hint: quote the whole value, e.g. file: '\"a\" and more'");
        });
    }

    @Test
    void aTabGetsTheIndentationHint() throws IOException {
        ConfigResolver.Result r = resolve("mode: enforce\npolicy:\n\treload: 2s\n");

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(dir.resolve("toolguard.yaml") + ":3:1");
            assertThat(p.message()).endsWith("\n  hint: indent with spaces: YAML does not allow tabs for indentation");
        });
    }

    @Test
    void aKeyIndentedOutOfLineGetsTheIndentationHint() throws IOException {
        ConfigResolver.Result r = resolve("policy:\n  sources: [p.yaml]\n   reload: 2s\n");

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).startsWith(dir.resolve("toolguard.yaml") + ":3:");
            assertThat(p.message()).startsWith("not valid YAML: ").contains("\n  hint: check the indentation");
        });
    }

    @Test
    void aDuplicateKeyIsNamedWithBothLinesAndTheFirstValueKept() throws IOException {
        ConfigResolver.Result r = resolve("mode: shadow\non_error: deny\nmode: enforce\n");

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo(dir.resolve("toolguard.yaml") + ":3:1");
            assertThat(p.message()).isEqualTo("duplicate key 'mode' (first at line 1)");
        });
    }
}
