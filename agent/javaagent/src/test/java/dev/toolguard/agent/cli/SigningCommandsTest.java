package dev.toolguard.agent.cli;

import dev.toolguard.policy.signing.BundleManifest;
import dev.toolguard.policy.signing.ManifestCheck;
import dev.toolguard.policy.signing.SigningKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SigningCommandsTest {

    private static final String POLICY = """
            apiVersion: toolguard.dev/v1
            kind: Policy
            metadata: {name: support-agent, version: "1"}
            tools:
              lookup: {action: allow}
            """;

    @TempDir
    Path dir;

    private Path keygen() {
        CliRun run = CliRun.of("keygen", "--out", dir.resolve("keys/release").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        return dir.resolve("keys/release.key");
    }

    @Test
    void keygenWritesAnOwnerOnlyPrivateKeyAndAPublicKey() throws IOException {
        CliRun run = CliRun.of("keygen", "--out", dir.resolve("keys/release").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys/release.key"))))
                .isEqualTo("rw-------");
        String id = SigningKeys.keyId(SigningKeys.readPublic(dir.resolve("keys/release.pub")));
        assertThat(run.out()).contains("key id " + id);
    }

    @Test
    void keygenNeverOverwritesAKey() throws IOException {
        keygen();
        String before = Files.readString(dir.resolve("keys/release.key"));

        CliRun again = CliRun.of("keygen", "--out", dir.resolve("keys/release").toString());

        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("never overwritten");
        assertThat(Files.readString(dir.resolve("keys/release.key"))).isEqualTo(before);
    }

    @Test
    void keygenWithoutOutIsBadUsage() {
        CliRun run = CliRun.of("keygen");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("missing option '--out'");
    }

    @Test
    void signWritesAManifestInsideTheDirectoryThatVerifiesUnderThePublicKey() throws IOException {
        Path key = keygen();
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("policy.yaml"), POLICY);
        Files.writeString(bundle.resolve("README.md"), "notes");

        CliRun run = CliRun.of("sign", bundle.toString(), "--key", key.toString(), "--revision", "4");

        assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
        BundleManifest m = BundleManifest.parse(Files.readAllBytes(bundle.resolve(BundleManifest.FILE_NAME)));
        assertThat(m.revision()).isEqualTo(4);
        assertThat(m.name()).isEqualTo("bundle");
        assertThat(m.files()).containsOnlyKeys("policy.yaml", "README.md");
        assertThat(ManifestCheck.problem(m, Map.of("policy.yaml", Files.readAllBytes(bundle.resolve("policy.yaml")),
                        "README.md", Files.readAllBytes(bundle.resolve("README.md"))),
                List.of(SigningKeys.readPublic(dir.resolve("keys/release.pub"))))).isNull();
    }

    @Test
    void aTamperedSignatureNoLongerVerifies() throws IOException {
        Path key = keygen();
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.writeString(bundle.resolve("policy.yaml"), POLICY);
        assertThat(CliRun.of("sign", bundle.toString(), "--key", key.toString(), "--revision", "1").exitCode()).isZero();
        Path sig = bundle.resolve(BundleManifest.FILE_NAME);
        BundleManifest signed = BundleManifest.parse(Files.readAllBytes(sig));
        byte[] raw = java.util.Base64.getDecoder().decode(signed.signature());
        raw[0] ^= 1;
        Files.write(sig, signed.withSignature(java.util.Base64.getEncoder().encodeToString(raw)).toBytes());

        BundleManifest tampered = BundleManifest.parse(Files.readAllBytes(sig));

        assertThat(ManifestCheck.problem(tampered, Map.of("policy.yaml", POLICY.getBytes(StandardCharsets.UTF_8)),
                List.of(SigningKeys.readPublic(dir.resolve("keys/release.pub"))))).contains("signature does not verify");
    }

    @Test
    void filesOfOneDirectoryAreSignedBesideThem() throws IOException {
        Path key = keygen();
        Path bundle = Files.createDirectories(dir.resolve("b"));
        Files.writeString(bundle.resolve("a.yaml"), POLICY);
        Files.writeString(bundle.resolve("draft.yaml"), "not: signed");

        CliRun run = CliRun.of("sign", bundle.resolve("a.yaml").toString(), "--key", key.toString(), "--revision", "2",
                "--name", "support");

        assertThat(run.exitCode()).as(run.err()).isZero();
        BundleManifest m = BundleManifest.parse(Files.readAllBytes(bundle.resolve(BundleManifest.FILE_NAME)));
        assertThat(m.files()).containsOnlyKeys("a.yaml");
        assertThat(m.name()).isEqualTo("support");
    }

    @Test
    void aBundleThatDoesNotLoadIsNotSigned() throws IOException {
        Path key = keygen();
        Path bundle = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bundle.resolve("policy.yaml"), POLICY + "unknown_key: 1\n");

        CliRun run = CliRun.of("sign", bundle.toString(), "--key", key.toString(), "--revision", "1");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("unknown_key").contains("not signed");
        assertThat(bundle.resolve(BundleManifest.FILE_NAME)).doesNotExist();
    }

    @Test
    void badUsageIsExitTwoWithTheReason() throws IOException {
        Path key = keygen();
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        Files.writeString(a.resolve("x.yaml"), POLICY);
        Files.writeString(b.resolve("y.yaml"), POLICY);

        assertThat(CliRun.of("sign", a.toString(), "--key", key.toString()).err()).contains("missing option '--revision'");
        assertThat(CliRun.of("sign", a.toString(), "--key", key.toString(), "--revision", "x").err())
                .contains("--revision must be a whole number");
        CliRun twoDirs = CliRun.of("sign", a.resolve("x.yaml").toString(), b.resolve("y.yaml").toString(),
                "--key", key.toString(), "--revision", "1");
        assertThat(twoDirs.exitCode()).isEqualTo(2);
        assertThat(twoDirs.err()).contains("must be in one directory");
        CliRun publicAsPrivate = CliRun.of("sign", a.toString(), "--key", dir.resolve("keys/release.pub").toString(),
                "--revision", "1");
        assertThat(publicAsPrivate.exitCode()).isEqualTo(2);
        assertThat(publicAsPrivate.err()).contains("PRIVATE KEY");
    }

    @Test
    void helpDescribesBothCommands() {
        assertThat(CliRun.of("sign", "--help").out()).contains("--revision").contains("toolguard-bundle.sig");
        assertThat(CliRun.of("keygen", "--help").out()).contains("--out <prefix>");
    }
}
