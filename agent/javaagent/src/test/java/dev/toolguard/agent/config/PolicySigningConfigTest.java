package dev.toolguard.agent.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code policy.signing} and {@code policy.http} in toolguard.yaml (SPEC §15). */
class PolicySigningConfigTest {

    @TempDir
    Path dir;

    private ConfigResolver.Result resolve(String yaml) throws IOException {
        return ConfigFiles.resolve(dir, yaml);
    }

    @Test
    void withoutTheKeysNothingIsCheckedAndHttpHasItsDefaults() throws IOException {
        ConfigResolver.Result r = resolve("mode: enforce\n");

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().policySigning().configured()).isFalse();
        assertThat(r.config().policyHttp()).isEqualTo(new PolicyHttp(Duration.ofSeconds(5), null));
    }

    @Test
    void publicKeysMakeASignatureRequiredByDefaultAndResolveAgainstTheConfigDirectory() throws IOException {
        ConfigResolver.Result r = resolve("""
                policy:
                  signing:
                    public_keys: [keys/release.pub, keys/next.pub]
                  http: {timeout: 750ms, ca_file: tls/ca.pem}
                """);

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().policySigning())
                .isEqualTo(new PolicySigning(List.of(dir.resolve("keys/release.pub"), dir.resolve("keys/next.pub")), true));
        assertThat(r.config().policyHttp()).isEqualTo(new PolicyHttp(Duration.ofMillis(750), dir.resolve("tls/ca.pem")));
    }

    @Test
    void requiredFalseLetsUnsignedBundlesLoad() throws IOException {
        ConfigResolver.Result r = resolve("""
                policy:
                  signing: {public_keys: [k.pub], required: false}
                """);

        assertThat(r.config().policySigning().required()).isFalse();
        assertThat(r.config().policySigning().configured()).isTrue();
    }

    @Test
    void typosAndBadValuesAreErrorsWithTheirLine() throws IOException {
        ConfigResolver.Result r = resolve("""
                policy:
                  signing: {public_key: [k.pub], required: maybe}
                  http: {timeout: 0s, cafile: x}
                """);

        assertThat(r.problems()).anySatisfy(p -> assertThat(p.toString()).contains("toolguard.yaml:2")
                .contains("public_key"));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p.toString()).contains("policy.signing.required must be true or false"));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p.toString()).contains("policy.http.timeout must be more than 0"));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p.toString()).contains("cafile"));
    }
}
