package dev.toolguard.agent.config;

/** What an internal error while deciding (or writing the audit log) means for the call. */
public enum OnError {
    DENY, ALLOW;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
