package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code state.session_ttl} and {@code state.max_sessions} in toolguard.yaml (SPEC §5 step 6). */
class SessionHistoryConfigTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String yaml) throws IOException {
        return ConfigFiles.resolve(dir, yaml);
    }

    @Test
    void withoutTheKeysTheSpecDefaultsApply() throws IOException {
        ConfigResolver.Result r = resolve("mode: enforce\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().sessionTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(r.config().maxSessions()).isEqualTo(1_000_000);
    }

    @Test
    void theBoundsAreRead() throws IOException {
        ConfigResolver.Result r = resolve("state:\n  session_ttl: 2h\n  max_sessions: 5000\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().sessionTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(r.config().maxSessions()).isEqualTo(5000);
    }

    @Test
    void anUnknownOrBadValueIsALocatedProblem() throws IOException {
        ConfigResolver.Result r = resolve("state:\n  max_sessions: 0\n  sessions: 3\n");

        assertThat(r.problems()).hasSize(2);
        assertThat(r.problems().toString()).contains("state.max_sessions", "state.sessions");
    }
}
