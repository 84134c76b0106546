package dev.toolguard.agent.config;

import java.time.Duration;

/**
 * How strictly {@code rules.yaml} entries must match the application (SPEC §7): {@code instrumentation.require_matches}
 * and {@code instrumentation.match_grace}.
 *
 * @param required with true, an entry that matches a class but no method of it, or no class within {@code grace},
 *                 makes every guarded call deny
 * @param grace    how long after start the application has to load the classes the entries name before an entry
 *                 that matched none is said (and, when required, denies)
 */
public record RulesMatching(boolean required, Duration grace) {

    public static final RulesMatching DEFAULT = new RulesMatching(false, Duration.ofSeconds(10));
}
