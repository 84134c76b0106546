package dev.toolguard.policy.load;

import java.util.List;

/**
 * A loaded, compiled, immutable bundle: every schema and expression compiled, tools indexed.
 * Deciding reads it and never changes it, so one instance is shared by all threads.
 */
public interface PolicyBundle {
    /** metadata.name (of the first file in name order that sets it). */
    String name();

    /** metadata.version, the version label. */
    String version();

    /** sha256 (hex) over the bundle's files, in name order. */
    String sha256();

    /** The files (or URLs) the bundle was loaded from, in name order. */
    List<String> sources();

    /** What the lint found in a bundle that loads, in the order found; none by default. */
    default List<LintWarning> warnings() {
        return List.of();
    }

    /** Who signed the bundle (SPEC §15), or null for a bundle loaded without a signature. */
    default BundleSignature signature() {
        return null;
    }
}
