package dev.toolguard.agent.admin;

import java.util.List;

/** What the admin API reports about the loaded policy; the agent runtime implements it. */
@FunctionalInterface
public interface PolicyStatus {

    /** One consistent view, read at once so that a reload cannot mix two bundles' fields. */
    Snapshot current();

    /**
     * @param name      the deciding bundle's name, or null when none is loaded
     * @param version   its version label
     * @param sha256    its sha256
     * @param sources   the configured sources
     * @param lastError the last load failure (every error, one per line), or null when the last load succeeded
     * @param warnings  the lint warnings of the deciding bundle, each {@code file:line:col: warning: ...}
     * @param revision  the signed bundle's revision (SPEC §15), or null when it is not signed
     * @param keyId     the id of the key that signed it, or null
     */
    record Snapshot(String name, String version, String sha256, List<String> sources, String lastError,
                    List<String> warnings, Long revision, String keyId) {
        public Snapshot {
            sources = sources == null ? List.of() : List.copyOf(sources);
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }

        /** An unsigned bundle's status, without lint warnings. */
        public Snapshot(String name, String version, String sha256, List<String> sources, String lastError) {
            this(name, version, sha256, sources, lastError, List.of(), null, null);
        }
    }
}
