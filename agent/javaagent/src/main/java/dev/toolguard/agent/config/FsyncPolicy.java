package dev.toolguard.agent.config;

/** When the audit log forces its writes to the disk, beyond flushing them to the operating system. */
public enum FsyncPolicy {
    NEVER, BATCH, ALWAYS;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
