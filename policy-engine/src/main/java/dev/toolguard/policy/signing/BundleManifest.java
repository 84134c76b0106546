package dev.toolguard.policy.signing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.toolguard.policy.values.CanonicalJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code toolguard-bundle.sig} (SPEC §15): which files form the bundle, each with its SHA-256, the bundle's
 * revision, and an Ed25519 signature over the manifest's canonical form, which is the
 * {@link CanonicalJson} text of every field but {@code signature}, in UTF-8.
 *
 * @param name      the bundle's name (for people; the files' {@code metadata.name} still names the policy)
 * @param revision  a number that only goes up; an agent refuses a revision below the one it loaded last
 * @param files     relative file name (a plain name inside the bundle's directory) -> lower-case hex SHA-256
 * @param signedAt  when it was signed, ISO-8601
 * @param keyId     {@link SigningKeys#keyId} of the key that signed it
 * @param signature base64 of the Ed25519 signature, or null before signing
 */
public record BundleManifest(String name, long revision, SortedMap<String, String> files, String signedAt,
                             String keyId, String signature) {

    /** The file name the manifest has, beside the files it lists. */
    public static final String FILE_NAME = "toolguard-bundle.sig";

    private static final Set<String> FIELDS = Set.of("name", "revision", "files", "signed_at", "key_id", "signature");
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public BundleManifest {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /** Signs the given files: name -> content. */
    public static BundleManifest sign(String name, long revision, Map<String, byte[]> contents,
                                      SigningKeys.SigningKey key, Instant now) {
        SortedMap<String, String> digests = new TreeMap<>();
        contents.forEach((file, bytes) -> digests.put(file, sha256(bytes)));
        BundleManifest unsigned = new BundleManifest(name, revision, digests, now.toString(), key.keyId(), null);
        try {
            Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
            s.initSign(key.privateKey());
            s.update(unsigned.signedBytes());
            return unsigned.withSignature(Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    /** True when {@code signature} is a valid signature of this manifest by {@code key}. Never throws. */
    public boolean signedBy(PublicKey key) {
        if (signature == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
            s.initVerify(key);
            s.update(signedBytes());
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The bytes the signature covers: the canonical JSON of every field but {@code signature}. */
    public byte[] signedBytes() {
        return CanonicalJson.of(fields(false)).getBytes(StandardCharsets.UTF_8);
    }

    /** The file's text: the canonical JSON of every field, and a newline. */
    public byte[] toBytes() {
        return (CanonicalJson.of(fields(true)) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public BundleManifest withSignature(String sig) {
        return new BundleManifest(name, revision, files, signedAt, keyId, sig);
    }

    private Map<String, Object> fields(boolean withSignature) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("revision", revision);
        m.put("files", files);
        m.put("signed_at", signedAt);
        m.put("key_id", keyId);
        if (withSignature) {
            m.put("signature", signature);
        }
        return m;
    }

    /**
     * Reads a manifest strictly: JSON with no duplicate keys and nothing after it, exactly the six fields,
     * a whole non-negative revision, and file names that stay inside the bundle's directory.
     *
     * @throws IOException saying what is wrong
     */
    public static BundleManifest parse(byte[] bytes) throws IOException {
        JsonNode root;
        try {
            root = STRICT.readValue(bytes, JsonNode.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("the manifest is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IOException("the manifest is not a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new IOException("the manifest has an unknown field '" + field + "'");
            }
        }
        for (String field : FIELDS) {
            if (!root.hasNonNull(field)) {
                throw new IOException("the manifest has no '" + field + "'");
            }
        }
        JsonNode revision = root.get("revision");
        if (!revision.isIntegralNumber() || !revision.canConvertToLong() || revision.asLong() < 0) {
            throw new IOException("the manifest's revision is not a whole number of at least 0");
        }
        JsonNode files = root.get("files");
        if (!files.isObject() || files.isEmpty()) {
            throw new IOException("the manifest lists no files");
        }
        SortedMap<String, String> digests = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = files.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String problem = fileNameProblem(e.getKey());
            if (problem != null) {
                throw new IOException("the manifest lists '" + e.getKey() + "': " + problem);
            }
            if (!e.getValue().isTextual() || !e.getValue().asText().matches("[0-9a-f]{64}")) {
                throw new IOException("the manifest's digest of '" + e.getKey() + "' is not a lower-case hex sha256");
            }
            digests.put(e.getKey(), e.getValue().asText());
        }
        for (String text : new String[]{"name", "signed_at", "key_id", "signature"}) {
            if (!root.get(text).isTextual()) {
                throw new IOException("the manifest's '" + text + "' is not a string");
            }
        }
        return new BundleManifest(root.get("name").asText(), revision.asLong(), digests, root.get("signed_at").asText(),
                root.get("key_id").asText(), root.get("signature").asText());
    }

    /**
     * Why a listed name cannot be a file of the bundle's directory, or null. Names are plain: no path
     * separators, no {@code ..}, not hidden, and never the manifest itself, so a listed name can only ever
     * mean one file beside the manifest (locally or under the same URL).
     */
    public static String fileNameProblem(String name) {
        if (name.isEmpty() || name.startsWith(".")) {
            return "an empty or hidden file name";
        }
        if (name.contains("/") || name.contains("\\") || name.chars().anyMatch(c -> c < 0x20 || c == '%' || c == '?' || c == '#')) {
            return "not a plain file name inside the bundle's directory";
        }
        if (name.equals(FILE_NAME)) {
            return "the manifest cannot list itself";
        }
        return null;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
