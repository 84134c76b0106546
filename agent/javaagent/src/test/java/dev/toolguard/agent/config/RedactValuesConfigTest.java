package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code audit.redact_values}: RE2 patterns, each checked when the config is read. */
class RedactValuesConfigTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String yaml) throws IOException {
        return ConfigFiles.resolve(dir, yaml);
    }

    @Test
    void patternsAreReadInOrder() throws IOException {
        ConfigResolver.Result r = resolve("""
                audit:
                  redact_values: ['\\b\\d{4}(?:[ -]?\\d{4}){3}\\b', 'sk-[A-Za-z0-9]{20,}']
                """);

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().redactValues()).containsExactly("\\b\\d{4}(?:[ -]?\\d{4}){3}\\b", "sk-[A-Za-z0-9]{20,}");
    }

    @Test
    void byDefaultNoValuePatternApplies() throws IOException {
        assertThat(resolve("mode: enforce\n").config().redactValues()).isEmpty();
    }

    @Test
    void anInvalidPatternIsAProblemAtItsLine() throws IOException {
        ConfigResolver.Result r = resolve("""
                audit:
                  redact_values:
                    - 'ok-[0-9]+'
                    - '(unclosed'
                """);

        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("toolguard.yaml:4:").contains("audit.redact_values entry '(unclosed'")
                .contains("not a usable RE2 pattern"));
    }

    @Test
    void aPatternThatMatchesTheEmptyStringIsRefused() throws IOException {
        ConfigResolver.Result r = resolve("audit:\n  redact_values: ['x*']\n");

        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.toString())
                .contains(":2:").contains("matches the empty string"));
    }

    @Test
    void aScalarInsteadOfAListIsAProblem() throws IOException {
        ConfigResolver.Result r = resolve("audit:\n  redact_values: '[0-9]+'\n");

        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("audit.redact_values must be a list"));
    }
}
