package dev.toolguard.policy.audit;

import java.util.Locale;

/** How hard the audit log pushes each record towards the disk (SPEC §2 {@code audit.fsync}). */
public enum FsyncMode {
    /** Written to the OS before append returns; the OS decides when it reaches the device. Survives SIGKILL. */
    NEVER,
    /** As NEVER, plus a background force to the device at most every batch interval. */
    BATCH,
    /** Forced to the device before append returns. Survives power loss; costs a device flush per record. */
    ALWAYS;

    public static FsyncMode fromConfig(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fsync mode '" + value + "' (expected never, batch or always)");
        }
    }
}
