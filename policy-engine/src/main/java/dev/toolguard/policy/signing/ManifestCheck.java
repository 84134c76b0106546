package dev.toolguard.policy.signing;

import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Whether a bundle is exactly what a trusted key signed (SPEC §15): the manifest verifies under one of the
 * configured keys, every file present is listed, every listed file is present, and each has its digest.
 * Revisions are the caller's to compare, since only it knows what loaded before.
 */
public final class ManifestCheck {

    private ManifestCheck() {
    }

    /**
     * Null when {@code files} (name -> content, as found beside the manifest) are what {@code manifest} signs
     * under one of {@code keys}; otherwise the reason, naming the file or the key.
     */
    public static String problem(BundleManifest manifest, Map<String, byte[]> files, List<PublicKey> keys) {
        PublicKey signer = null;
        for (PublicKey k : keys) {
            if (SigningKeys.keyId(k).equals(manifest.keyId())) {
                signer = k;
                break;
            }
        }
        if (signer == null) {
            return "the bundle is signed by key " + manifest.keyId() + ", which is not one of policy.signing.public_keys";
        }
        if (!manifest.signedBy(signer)) {
            return "the manifest's signature does not verify under key " + manifest.keyId()
                    + " (the manifest was changed after signing, or signed by another key)";
        }
        return filesProblem(manifest, files);
    }

    /**
     * Null when {@code files} are exactly the listed ones with their digests; otherwise the reason. Says nothing
     * about who signed the manifest.
     */
    public static String filesProblem(BundleManifest manifest, Map<String, byte[]> files) {
        for (String present : new TreeSet<>(files.keySet())) {
            if (!manifest.files().containsKey(present)) {
                return "the file " + present + " is not listed in the signed manifest";
            }
        }
        for (Map.Entry<String, String> listed : manifest.files().entrySet()) {
            byte[] content = files.get(listed.getKey());
            if (content == null) {
                return "the signed file " + listed.getKey() + " is missing";
            }
            if (!BundleManifest.sha256(content).equals(listed.getValue())) {
                return "the file " + listed.getKey() + " does not match its signed sha256 (it was changed after signing)";
            }
        }
        return null;
    }
}
