package dev.toolguard.policy.egress;

/** What a tool's body can reach outside the JVM that a sensor sees (SPEC §18), by its policy key. */
public enum EgressKind {
    SQL("sql"), HTTP("http"), MAIL("mail"), EXEC("exec");

    private static final EgressKind[] ALL = values();

    private final String key;

    EgressKind(String key) {
        this.key = key;
    }

    /** The key under a tool's {@code egress}, the part of rule ids and of metric labels. */
    public String key() {
        return key;
    }

    /** The kind written as {@code key}, or null. */
    public static EgressKind of(String key) {
        for (EgressKind k : ALL) {
            if (k.key.equals(key)) {
                return k;
            }
        }
        return null;
    }
}
