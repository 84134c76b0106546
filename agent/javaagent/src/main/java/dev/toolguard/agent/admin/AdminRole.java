package dev.toolguard.agent.admin;

import java.util.Locale;
import java.util.Optional;

/** What an admin user may do (SPEC §16 {@code admin.users}): each role may do everything the one before it may. */
public enum AdminRole {
    /** Reads: every GET. */
    VIEWER,
    /** Reads, and approves or rejects pending approvals. */
    APPROVER,
    /** Everything the admin API offers. */
    ADMIN;

    /** True when this role may do what {@code needed} may. */
    public boolean covers(AdminRole needed) {
        return compareTo(needed) >= 0;
    }

    /** The role as the config writes it: {@code viewer}, {@code approver}, {@code admin}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} (as the config writes it), or empty. */
    public static Optional<AdminRole> named(String text) {
        for (AdminRole role : values()) {
            if (role.configName().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
