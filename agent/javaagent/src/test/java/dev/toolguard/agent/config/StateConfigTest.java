package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code state.*} (SPEC §14): memory by default; a Redis store's settings, each wrong one a problem with its place. */
class StateConfigTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String stateSection) throws Exception {
        return ConfigFiles.resolve(dir, "state:\n" + stateSection);
    }

    @Test
    void theDefaultIsMemoryAndDenyingWhenAStoreDoesNotAnswer() throws Exception {
        Path file = Files.writeString(dir.resolve("toolguard.yaml"), "mode: enforce\n");
        StateSpec state = ConfigResolver.resolve("config=" + file, new Properties(), Map.of(), dir).config().state();

        assertThat(state.shared()).isFalse();
        assertThat(state.onUnavailable()).isEqualTo(StateSpec.OnUnavailable.DENY);
    }

    @Test
    void aRedisStoreTakesItsUrlPasswordVariablePrefixTimeoutAndFallback() throws Exception {
        ConfigResolver.Result r = resolve("""
                  store: redis
                  redis:
                    url: rediss://redis.internal:6380/2
                    password_env: TG_REDIS_PW
                    prefix: "support:"
                    timeout: 50ms
                  on_unavailable: local
                """);

        assertThat(r.problems()).isEmpty();
        StateSpec s = r.config().state();
        assertThat(s.shared()).isTrue();
        assertThat(s.redisUrl()).isEqualTo("rediss://redis.internal:6380/2");
        assertThat(s.passwordEnv()).isEqualTo("TG_REDIS_PW");
        assertThat(s.prefix()).isEqualTo("support:");
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(s.onUnavailable()).isEqualTo(StateSpec.OnUnavailable.LOCAL);
    }

    @Test
    void aUrlThatIsNotRedisIsAProblemWithItsPlace() throws Exception {
        ConfigResolver.Result r = resolve("  store: redis\n  redis:\n    url: http://redis.internal:6379\n");

        assertThat(r.problems()).singleElement().hasToString(dir.resolve("toolguard.yaml")
                + ":4:10: state.redis.url: the URL must start with redis:// or rediss://");
    }

    @Test
    void unknownKeysAndValuesAreProblems() throws Exception {
        assertThat(resolve("  store: etcd\n").problems()).singleElement().asString()
                .contains("state.store must be one of memory, redis, not 'etcd'");
        assertThat(resolve("  on_unavailable: ignore\n").problems()).singleElement().asString()
                .contains("state.on_unavailable must be one of deny, allow, local");
        assertThat(resolve("  redis: {host: x}\n").problems()).singleElement().asString().contains("host");
    }
}
