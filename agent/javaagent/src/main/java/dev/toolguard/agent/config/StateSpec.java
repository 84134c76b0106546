package dev.toolguard.agent.config;

import java.time.Duration;

/**
 * {@code state.*} of the agent config (SPEC §14): where counters, budgets and session history live.
 *
 * @param store         {@code memory} (the default) or {@code redis}
 * @param redisUrl      {@code redis://} or {@code rediss://} URL (redis only)
 * @param passwordEnv   the environment variable holding the Redis password, or null
 * @param prefix        put before every key; replicas that share state share the prefix
 * @param timeout       per Redis operation
 * @param onUnavailable {@code deny} | {@code allow} | {@code local}
 */
public record StateSpec(Store store, String redisUrl, String passwordEnv, String prefix, Duration timeout,
                        OnUnavailable onUnavailable) {

    public enum Store { MEMORY, REDIS }

    public enum OnUnavailable { DENY, ALLOW, LOCAL }

    public static final String DEFAULT_URL = "redis://127.0.0.1:6379/0";
    public static final String DEFAULT_PREFIX = "toolguard:";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(100);

    public static final StateSpec MEMORY = new StateSpec(Store.MEMORY, DEFAULT_URL, null, DEFAULT_PREFIX,
            DEFAULT_TIMEOUT, OnUnavailable.DENY);

    public boolean shared() {
        return store == Store.REDIS;
    }
}
