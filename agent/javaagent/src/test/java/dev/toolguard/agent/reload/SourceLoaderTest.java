package dev.toolguard.agent.reload;

import dev.toolguard.agent.config.PolicySigning;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.BundleSignature;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.signing.BundleManifest;
import dev.toolguard.policy.signing.SigningKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Signed local directories (SPEC §15), decided by {@link SourceLoader} without any server. */
class SourceLoaderTest {

    private static final String POLICY = """
            apiVersion: toolguard.dev/v1
            kind: Policy
            metadata: {name: ping, version: "v1"}
            tools:
              ping: {action: allow}
            """;

    @TempDir
    Path dir;
    private Path bundle;
    private KeyPair pair;

    @BeforeEach
    void keys() throws IOException {
        pair = SigningKeys.generate();
        SigningKeys.write(pair, dir.resolve("k.key"), dir.resolve("k.pub"));
        bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("ping.yaml"), POLICY);
    }

    private void sign(long revision) throws IOException {
        BundleManifest m = BundleManifest.sign("b", revision, Map.of("ping.yaml", Files.readAllBytes(bundle.resolve("ping.yaml"))),
                new SigningKeys.SigningKey(pair.getPrivate(), pair.getPublic()), Instant.now());
        Files.write(bundle.resolve(BundleManifest.FILE_NAME), m.toBytes());
    }

    private SourceLoader loader(List<String> sources, boolean required) {
        return new SourceLoader(sources, BundleLoader.DEFAULT_MAX_BYTES,
                new PolicySigning(List.of(dir.resolve("k.pub")), required),
                new PolicyFetcher(BundleLoader.Http.defaults(), BundleLoader.DEFAULT_MAX_BYTES));
    }

    private static String reason(LoadResult r) {
        assertThat(r.ok()).isFalse();
        return r.errors().get(0).toString();
    }

    @Test
    void aSignedDirectoryLoadsMarkedWithItsRevisionAndKey() throws IOException {
        sign(3);

        LoadResult r = loader(List.of(bundle.toString()), true).load();

        assertThat(r.ok()).as(r.errors().toString()).isTrue();
        assertThat(r.bundle().signature()).isEqualTo(new BundleSignature(3, SigningKeys.keyId(pair.getPublic())));
    }

    @Test
    void aRevisionBelowTheFloorIsRefusedAndTheFloorOnlyRises() throws IOException {
        sign(2);
        SourceLoader loader = loader(List.of(bundle.toString()), true);
        loader.loaded(new BundleSignature(5, "x"));
        loader.loaded(new BundleSignature(4, "x"));

        assertThat(loader.floor()).isEqualTo(5);
        assertThat(reason(loader.load())).contains("revision 2 is older than revision 5");
    }

    @Test
    void unsignedLoadsOnlyWhenNotRequired() {
        assertThat(reason(loader(List.of(bundle.toString()), true).load())).contains("unsigned bundle refused");

        LoadResult r = loader(List.of(bundle.toString()), false).load();

        assertThat(r.ok()).isTrue();
        assertThat(r.bundle().signature()).isNull();
    }

    @Test
    void aManifestPresentMustVerifyEvenWhenNotRequired() throws IOException {
        sign(1);
        Files.writeString(bundle.resolve("ping.yaml"), POLICY.replace("allow", "deny"));

        assertThat(reason(loader(List.of(bundle.toString()), false).load()))
                .contains("ping.yaml does not match its signed sha256");
    }

    @Test
    void aSignedPolicyIsOneDirectory() throws IOException {
        sign(1);

        assertThat(reason(loader(List.of(bundle.resolve("ping.yaml").toString()), true).load()))
                .contains("a signed policy is one directory");
        assertThat(reason(loader(List.of(bundle.toString(), dir.resolve("k.pub").toString()), true).load()))
                .contains("a signed policy is one directory");
    }

    @Test
    void requiredWithoutAnyKeyLoadsNothingEvenWithAManifest() throws IOException {
        sign(1);
        SourceLoader loader = new SourceLoader(List.of(bundle.toString()), BundleLoader.DEFAULT_MAX_BYTES,
                new PolicySigning(List.of(), true),
                new PolicyFetcher(BundleLoader.Http.defaults(), BundleLoader.DEFAULT_MAX_BYTES));

        assertThat(reason(loader.load())).contains("lists no key");
    }

    @Test
    void anUnreadablePublicKeyRefusesTheBundle() throws IOException {
        sign(1);
        Files.writeString(dir.resolve("k.pub"), "not a key");

        assertThat(reason(loader(List.of(bundle.toString()), true).load())).contains("k.pub");
    }
}
