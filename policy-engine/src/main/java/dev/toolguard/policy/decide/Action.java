package dev.toolguard.policy.decide;

/** What a decision says to do with a call. */
public enum Action {
    ALLOW("allow"),
    DENY("deny"),
    REQUIRE_APPROVAL("require_approval");

    private final String wireName;

    Action(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in policy files, cases files and audit records. */
    public String wireName() {
        return wireName;
    }

    public static Action fromWireName(String name) {
        for (Action a : values()) {
            if (a.wireName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + name + "' (expected allow, deny or require_approval)");
    }
}
