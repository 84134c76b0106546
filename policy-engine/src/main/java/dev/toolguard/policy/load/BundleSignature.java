package dev.toolguard.policy.load;

/**
 * Who signed a loaded bundle (SPEC §15), as decision records and {@code GET /policy} show it.
 *
 * @param revision the signed manifest's revision
 * @param keyId    the id of the key that signed it
 */
public record BundleSignature(long revision, String keyId) {
}
