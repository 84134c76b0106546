package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code policy.first_load_wait}: how long a call made during the first policy load waits for it. */
class FirstLoadWaitConfigTest {

    @TempDir
    Path dir;

    @Test
    void withoutTheKeyACallWaitsThirtySeconds() throws IOException {
        ConfigResolver.Result r = ConfigFiles.resolve(dir, "mode: enforce\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().firstLoadWait()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theWaitIsRead() throws IOException {
        ConfigResolver.Result r = ConfigFiles.resolve(dir, "policy:\n  sources: [p/]\n  first_load_wait: 1500ms\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().firstLoadWait()).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void aWaitThatIsNotADurationIsALocatedProblem() throws IOException {
        ConfigResolver.Result r = ConfigFiles.resolve(dir, "policy:\n  sources: [p/]\n  first_load_wait: soon\n");

        assertThat(r.problems()).extracting(Object::toString).singleElement().satisfies(p -> assertThat(p)
                .contains("toolguard.yaml:3:20").contains("policy.first_load_wait must be a duration"));
    }
}
