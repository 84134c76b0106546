package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code approvals.webhook_secret_env} / {@code _file}: where the webhook's signing secret comes from. */
class WebhookSecretConfigTest {

    private static final String SECRET = "whsec-0123456789abcdef";

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("toolguard.yaml");
        Files.writeString(file, yaml);
        return ConfigResolver.resolve("config=" + file, new Properties(), env, dir);
    }

    @Test
    void theSecretComesFromAnEnvironmentVariableAndTheConfigNeverHoldsIt() throws IOException {
        ConfigResolver.Result r = resolve("""
                approvals:
                  webhook: https://hooks.internal/toolguard
                  webhook_secret_env: TG_WEBHOOK_SECRET
                """, Map.of("TG_WEBHOOK_SECRET", SECRET));

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().approvalsWebhookSecret().read(Map.of("TG_WEBHOOK_SECRET", SECRET))).isEqualTo(SECRET);
        assertThat(r.config().toString()).doesNotContain(SECRET).contains("TG_WEBHOOK_SECRET");
    }

    @Test
    void theSecretComesFromAFileRelativeToTheConfigWithoutItsLineBreak() throws IOException {
        Files.writeString(dir.resolve("webhook.secret"), SECRET + "\n");

        ConfigResolver.Result r = resolve("""
                approvals:
                  webhook: https://hooks.internal/toolguard
                  webhook_secret_file: webhook.secret
                """, Map.of());

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().approvalsWebhookSecret().read(Map.of())).isEqualTo(SECRET);
    }

    @Test
    void aSecretThatCannotBeReadIsAConfigErrorNamingWhereNotWhat() throws IOException {
        ConfigResolver.Result unset = resolve("""
                approvals:
                  webhook: https://hooks.internal/toolguard
                  webhook_secret_env: TG_WEBHOOK_SECRET
                """, Map.of());
        ConfigResolver.Result missing = resolve("""
                approvals:
                  webhook: https://hooks.internal/toolguard
                  webhook_secret_file: nowhere.secret
                """, Map.of());

        assertThat(unset.problems()).singleElement().asString().contains("TG_WEBHOOK_SECRET").contains("not set");
        assertThat(missing.problems()).singleElement().asString().contains("nowhere.secret");
    }

    @Test
    void bothSourcesOrASecretWithoutAWebhookAreProblems() throws IOException {
        Files.writeString(dir.resolve("webhook.secret"), SECRET);
        ConfigResolver.Result both = resolve("""
                approvals:
                  webhook: https://hooks.internal/toolguard
                  webhook_secret_env: TG_WEBHOOK_SECRET
                  webhook_secret_file: webhook.secret
                """, Map.of("TG_WEBHOOK_SECRET", SECRET));
        ConfigResolver.Result noHook = resolve("""
                approvals:
                  webhook_secret_env: TG_WEBHOOK_SECRET
                """, Map.of("TG_WEBHOOK_SECRET", SECRET));

        assertThat(both.problems()).singleElement().asString().contains("give one of them");
        assertThat(noHook.problems()).singleElement().asString().contains("approvals.webhook is not set");
        assertThat(both.problems().toString() + noHook.problems()).doesNotContain(SECRET);
    }
}
