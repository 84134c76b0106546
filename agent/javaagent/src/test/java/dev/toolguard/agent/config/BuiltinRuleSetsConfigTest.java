package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code instrumentation.builtin}: a rule set that leaves some of its framework's calls to another rule set is refused
 * without it, with the file and line, since those calls would otherwise run undecided.
 */
class BuiltinRuleSetsConfigTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String yaml) throws IOException {
        return ConfigFiles.resolve(dir, yaml);
    }

    @Test
    void quarkusWithoutLangChain4jIsAProblemNamingWhatWouldRunUndecided() throws IOException {
        ConfigResolver.Result r = resolve("instrumentation:\n  builtin: [guarded-tool, quarkus-langchain4j]\n");

        assertThat(r.problems()).singleElement().asString().contains("toolguard.yaml:2")
                .contains("quarkus-langchain4j without langchain4j").contains("undecided");
    }

    @Test
    void embabelWithoutSpringAiIsAProblem() throws IOException {
        ConfigResolver.Result r = resolve("instrumentation:\n  builtin: [embabel]\n");

        assertThat(r.problems()).singleElement().asString().contains("embabel without spring-ai");
    }

    @Test
    void eachBesideTheOneItNeedsIsFine() throws IOException {
        ConfigResolver.Result r = resolve(
                "instrumentation:\n  builtin: [langchain4j, quarkus-langchain4j, spring-ai, embabel, koog]\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().builtinRuleSets()).contains("embabel", "koog");
    }
}
