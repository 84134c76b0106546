package dev.toolguard.agent.config;

/** Whether decisions block calls ({@code enforce}) or are only decided and audited ({@code shadow}). */
public enum EnforcementMode {
    ENFORCE, SHADOW;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
