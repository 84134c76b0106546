package dev.toolguard.policy.signing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BundleManifestTest {

    private static final KeyPair PAIR = SigningKeys.generate();
    private static final SigningKeys.SigningKey KEY = new SigningKeys.SigningKey(PAIR.getPrivate(), PAIR.getPublic());
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    private static Map<String, byte[]> files(String... nameThenText) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenText.length; i += 2) {
            m.put(nameThenText[i], nameThenText[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void theSignedFormIsCanonicalJsonOfEveryFieldButTheSignature() {
        BundleManifest m = BundleManifest.sign("support", 7, files("b.yaml", "b", "a.yaml", "a"), KEY, AT);

        assertThat(new String(m.signedBytes(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"files\":{\"a.yaml\":\"" + BundleManifest.sha256("a".getBytes()) + "\",\"b.yaml\":\""
                        + BundleManifest.sha256("b".getBytes()) + "\"},\"key_id\":\"" + KEY.keyId()
                        + "\",\"name\":\"support\",\"revision\":7,\"signed_at\":\"2026-12-01T10:00:00Z\"}");
        assertThat(new String(m.toBytes(), StandardCharsets.UTF_8)).contains("\"signature\":\"" + m.signature() + "\"")
                .endsWith("}\n");
    }

    @Test
    void aManifestReadBackFromItsBytesStillVerifies() throws IOException {
        BundleManifest m = BundleManifest.sign("support", 3, files("p.yaml", "x: 1"), KEY, AT);

        BundleManifest read = BundleManifest.parse(m.toBytes());

        assertThat(read).isEqualTo(m);
        assertThat(read.signedBy(PAIR.getPublic())).isTrue();
        assertThat(ManifestCheck.problem(read, files("p.yaml", "x: 1"), List.of(PAIR.getPublic()))).isNull();
    }

    @Test
    void theSameFieldsInAnotherKeyOrderVerify() throws IOException {
        BundleManifest m = BundleManifest.sign("s", 1, files("p.yaml", "x"), KEY, AT);
        String reordered = "{\"signature\":\"" + m.signature() + "\",\"revision\":1,\"name\":\"s\",\"key_id\":\""
                + m.keyId() + "\",\"signed_at\":\"" + m.signedAt() + "\",\"files\":{\"p.yaml\":\""
                + m.files().get("p.yaml") + "\"}}";

        assertThat(BundleManifest.parse(reordered.getBytes(StandardCharsets.UTF_8)).signedBy(PAIR.getPublic())).isTrue();
    }

    @Test
    void aRaisedRevisionBreaksTheSignature() throws IOException {
        BundleManifest m = BundleManifest.sign("s", 1, files("p.yaml", "x"), KEY, AT);
        String tampered = new String(m.toBytes(), StandardCharsets.UTF_8).replace("\"revision\":1", "\"revision\":99");

        BundleManifest read = BundleManifest.parse(tampered.getBytes(StandardCharsets.UTF_8));

        assertThat(read.signedBy(PAIR.getPublic())).isFalse();
        assertThat(ManifestCheck.problem(read, files("p.yaml", "x"), List.of(PAIR.getPublic())))
                .contains("signature does not verify");
    }

    @Test
    void aChangedFileAnUnlistedFileAMissingFileAndAnUnknownKeyAreEachNamed() {
        BundleManifest m = BundleManifest.sign("s", 1, files("p.yaml", "x"), KEY, AT);
        List<java.security.PublicKey> keys = List.of(PAIR.getPublic());

        assertThat(ManifestCheck.problem(m, files("p.yaml", "y"), keys))
                .isEqualTo("the file p.yaml does not match its signed sha256 (it was changed after signing)");
        assertThat(ManifestCheck.problem(m, files("p.yaml", "x", "extra.yaml", "e"), keys))
                .isEqualTo("the file extra.yaml is not listed in the signed manifest");
        assertThat(ManifestCheck.problem(m, files(), keys)).isEqualTo("the signed file p.yaml is missing");
        assertThat(ManifestCheck.problem(m, files("p.yaml", "x"), List.of(SigningKeys.generate().getPublic())))
                .contains("signed by key " + KEY.keyId()).contains("not one of policy.signing.public_keys");
    }

    @Test
    void aSignatureMadeByAnotherKeyUnderTheTrustedKeysIdIsRefused() {
        KeyPair other = SigningKeys.generate();
        BundleManifest forged = BundleManifest.sign("s", 1, files("p.yaml", "x"),
                new SigningKeys.SigningKey(other.getPrivate(), other.getPublic()), AT);
        BundleManifest claimed = new BundleManifest(forged.name(), forged.revision(), forged.files(), forged.signedAt(),
                KEY.keyId(), forged.signature());

        assertThat(ManifestCheck.problem(claimed, files("p.yaml", "x"), List.of(PAIR.getPublic())))
                .contains("signature does not verify");
    }

    @Test
    void anyConfiguredKeyMaySign() {
        BundleManifest m = BundleManifest.sign("s", 1, files("p.yaml", "x"), KEY, AT);

        assertThat(ManifestCheck.problem(m, files("p.yaml", "x"),
                List.of(SigningKeys.generate().getPublic(), PAIR.getPublic()))).isNull();
    }

    @Test
    void malformedManifestsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> BundleManifest.parse("{".getBytes())).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> BundleManifest.parse("[]".getBytes())).hasMessageContaining("not a JSON object");
        String ok = "\"name\":\"s\",\"signed_at\":\"t\",\"key_id\":\"k\",\"signature\":\"x\",\"files\":{\"p.yaml\":\""
                + "0".repeat(64) + "\"}";
        assertThatThrownBy(() -> BundleManifest.parse(("{" + ok + ",\"revision\":1.5}").getBytes()))
                .hasMessageContaining("revision");
        assertThatThrownBy(() -> BundleManifest.parse(("{" + ok + ",\"revision\":-1}").getBytes()))
                .hasMessageContaining("revision");
        assertThatThrownBy(() -> BundleManifest.parse(("{" + ok + ",\"revision\":1,\"revision\":2}").getBytes()))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> BundleManifest.parse(("{" + ok + ",\"revision\":1,\"extra\":2}").getBytes()))
                .hasMessageContaining("unknown field 'extra'");
        assertThatThrownBy(() -> BundleManifest.parse(("{" + ok + ",\"revision\":1} {}").getBytes()))
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> BundleManifest.parse(("{" + ok.replace("p.yaml", "sub/p.yaml") + ",\"revision\":1}").getBytes()))
                .hasMessageContaining("not a plain file name");
    }
}
