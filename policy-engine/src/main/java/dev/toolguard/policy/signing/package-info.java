/**
 * Signed policy bundles (SPEC §15): Ed25519 keys in PEM files, the manifest of a bundle's file digests, and
 * the check that a fetched bundle is exactly what a trusted key signed. Only the JDK's own crypto is used.
 * Fetching and anti-rollback belong to the agent's reload room; this room only says yes or why not.
 */
package dev.toolguard.policy.signing;
