package dev.toolguard.policy.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys as PEM files, the form {@code openssl} reads: the private key as PKCS#8 ({@code PRIVATE KEY}),
 * the public key as X.509 SubjectPublicKeyInfo ({@code PUBLIC KEY}). A key's id is the first 16 hex digits of
 * the SHA-256 of its public key's DER bytes, so a manifest can name the key without holding it.
 */
public final class SigningKeys {

    static final String ALGORITHM = "Ed25519";
    private static final String PRIVATE_LABEL = "PRIVATE KEY";
    private static final String PUBLIC_LABEL = "PUBLIC KEY";

    private SigningKeys() {
    }

    /** A signing key and the public key that checks it. */
    public record SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        public String keyId() {
            return SigningKeys.keyId(publicKey);
        }
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 runtime has Ed25519", e);
        }
    }

    public static String keyId(PublicKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Writes {@code <prefix>.key} (owner read/write only, created that way so it is never readable by others,
     * not even for a moment) and {@code <prefix>.pub}. Refuses to overwrite either: replacing a release key by
     * accident would lock every agent out of new bundles.
     */
    public static void write(KeyPair pair, Path privateFile, Path publicFile) throws IOException {
        if (Files.exists(privateFile)) {
            throw new FileAlreadyExistsException(privateFile.toString(), null, "a key file is never overwritten");
        }
        if (Files.exists(publicFile)) {
            throw new FileAlreadyExistsException(publicFile.toString(), null, "a key file is never overwritten");
        }
        byte[] pem = pem(PRIVATE_LABEL, pair.getPrivate().getEncoded());
        if (Files.getFileStore(privateFile.toAbsolutePath().getParent()).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.createFile(privateFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(privateFile, pem, StandardOpenOption.TRUNCATE_EXISTING);
        } else {
            Files.write(privateFile, pem, StandardOpenOption.CREATE_NEW);
        }
        Files.write(publicFile, pem(PUBLIC_LABEL, pair.getPublic().getEncoded()), StandardOpenOption.CREATE_NEW);
    }

    /** Reads a public key file; the message of the exception says what is wrong with it. */
    public static PublicKey readPublic(Path file) throws IOException {
        byte[] der = der(file, PUBLIC_LABEL);
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException(file + ": not an Ed25519 public key (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads a private key file and derives its public key, so that {@code sign} needs only the key file to
     * name the key in the manifest.
     */
    public static SigningKey readPrivate(Path file) throws IOException {
        byte[] der = der(file, PRIVATE_LABEL);
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": not an Ed25519 private key (" + e.getMessage() + ")");
        }
        return new SigningKey(key, publicKeyOf(key, file));
    }

    /**
     * An Ed25519 key pair is a function of the private key's 32 bytes: the JDK's generator, fed exactly those
     * bytes as its randomness, gives back the same private key and its public key. The result is checked, so a
     * generator that draws differently is an error, never a wrong key id.
     */
    private static PublicKey publicKeyOf(PrivateKey key, Path file) throws IOException {
        byte[] seed = key instanceof EdECPrivateKey ed ? ed.getBytes().orElse(null) : null;
        if (seed == null) {
            throw new IOException(file + ": the private key's bytes cannot be read");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(255, new FixedBytes(seed));
            KeyPair pair = generator.generateKeyPair();
            if (!Arrays.equals(pair.getPrivate().getEncoded(), key.getEncoded())) {
                throw new IOException(file + ": cannot derive the public key of this private key");
            }
            return pair.getPublic();
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": cannot derive the public key (" + e.getMessage() + ")");
        }
    }

    /** Randomness that is the given bytes: only for re-deriving a key pair from its private key. */
    private static final class FixedBytes extends SecureRandom {
        private final byte[] bytes;

        FixedBytes(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            if (out.length != bytes.length) {
                throw new IllegalStateException("the generator asked for " + out.length + " bytes, not " + bytes.length);
            }
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }

    private static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] der(Path file, String label) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such key file");
        }
        if (Files.size(file) > 64 * 1024) {
            throw new IOException(file + ": too large for a key file");
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(file + ": not a PEM file with a '" + label + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": the PEM block is not base64 (" + e.getMessage() + ")");
        }
    }
}
