package dev.toolguard.policy.signing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SigningKeysTest {

    @TempDir
    Path dir;

    @Test
    void keyFilesArePemAndThePrivateOneIsOwnerOnly() throws IOException {
        KeyPair pair = SigningKeys.generate();
        SigningKeys.write(pair, dir.resolve("release.key"), dir.resolve("release.pub"));

        assertThat(Files.readString(dir.resolve("release.key"))).startsWith("-----BEGIN PRIVATE KEY-----\n")
                .endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(dir.resolve("release.pub"))).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("release.key"))))
                .isEqualTo("rw-------");
    }

    @Test
    void aPrivateKeyFileReadsBackWithTheSamePublicKeyAndId() throws IOException {
        KeyPair pair = SigningKeys.generate();
        SigningKeys.write(pair, dir.resolve("k.key"), dir.resolve("k.pub"));

        SigningKeys.SigningKey read = SigningKeys.readPrivate(dir.resolve("k.key"));

        assertThat(read.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(read.keyId()).isEqualTo(SigningKeys.keyId(SigningKeys.readPublic(dir.resolve("k.pub"))))
                .matches("[0-9a-f]{16}");
    }

    @Test
    void twoKeysHaveDifferentIds() {
        assertThat(SigningKeys.keyId(SigningKeys.generate().getPublic()))
                .isNotEqualTo(SigningKeys.keyId(SigningKeys.generate().getPublic()));
    }

    @Test
    void keyFilesAreNeverOverwritten() throws IOException {
        SigningKeys.write(SigningKeys.generate(), dir.resolve("k.key"), dir.resolve("k.pub"));
        String before = Files.readString(dir.resolve("k.key"));

        assertThatThrownBy(() -> SigningKeys.write(SigningKeys.generate(), dir.resolve("k.key"), dir.resolve("k2.pub")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(dir.resolve("k.key"))).isEqualTo(before);
    }

    @Test
    void aFileThatIsNotAKeyIsAnErrorNamingIt() throws IOException {
        Files.writeString(dir.resolve("junk.pub"), "hello");
        Files.writeString(dir.resolve("swapped.pub"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> SigningKeys.readPublic(dir.resolve("junk.pub")))
                .hasMessageContaining("junk.pub").hasMessageContaining("PUBLIC KEY");
        assertThatThrownBy(() -> SigningKeys.readPublic(dir.resolve("swapped.pub")))
                .hasMessageContaining("PUBLIC KEY");
        assertThatThrownBy(() -> SigningKeys.readPublic(dir.resolve("absent.pub")))
                .hasMessageContaining("no such key file");
    }
}
