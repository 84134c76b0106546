package dev.toolguard.agent.config;

import dev.toolguard.policy.values.ValueBounds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code policy.max_bytes} and {@code arguments.*} in toolguard.yaml (SPEC §13.9). */
class InputBoundsConfigTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String yaml) throws IOException {
        return ConfigFiles.resolve(dir, yaml);
    }

    @Test
    void withoutTheKeysTheSpecDefaultsApply() throws IOException {
        ConfigResolver.Result r = resolve("mode: enforce\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().policyMaxBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(r.config().argumentBounds()).isEqualTo(new ValueBounds(64, 100_000, 1024 * 1024));
    }

    @Test
    void theBoundsAreRead() throws IOException {
        ConfigResolver.Result r = resolve("""
                policy:
                  max_bytes: 1000000
                arguments:
                  max_depth: 8
                  max_items: 500
                  max_string: 4096
                """);

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().policyMaxBytes()).isEqualTo(1_000_000L);
        assertThat(r.config().argumentBounds()).isEqualTo(new ValueBounds(8, 500, 4096));
    }

    @Test
    void oneBoundSetKeepsTheOthersDefaults() throws IOException {
        ConfigResolver.Result r = resolve("arguments:\n  max_items: 10\n");

        assertThat(r.config().argumentBounds()).isEqualTo(new ValueBounds(64, 10, 1024 * 1024));
    }

    @Test
    void aBoundThatIsNotAPositiveWholeNumberIsALocatedProblem() throws IOException {
        ConfigResolver.Result r = resolve("policy:\n  max_bytes: 4MB\narguments:\n  max_depth: 0\n");

        assertThat(r.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .contains("toolguard.yaml:2:14").contains("policy.max_bytes must be a whole number"));
        assertThat(r.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .contains("toolguard.yaml:4:14").contains("arguments.max_depth must be a whole number of at least 1"));
    }

    @Test
    void anUnknownArgumentsKeyIsAProblem() throws IOException {
        ConfigResolver.Result r = resolve("arguments:\n  max_lenght: 5\n");

        assertThat(r.problems()).extracting(Object::toString).singleElement().asString()
                .contains("unknown key 'arguments.max_lenght'").contains("max_string");
    }
}
