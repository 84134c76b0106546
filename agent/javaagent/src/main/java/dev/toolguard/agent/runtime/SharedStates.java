package dev.toolguard.agent.runtime;

import dev.toolguard.agent.admin.Metrics;
import dev.toolguard.agent.config.StateSpec;
import dev.toolguard.policy.audit.AuditSink;
import dev.toolguard.policy.audit.AuditWriteException;
import dev.toolguard.policy.audit.StateRecord;
import dev.toolguard.policy.state.SharedState;
import dev.toolguard.policy.state.StateListener;
import dev.toolguard.policy.state.redis.RedisSettings;
import dev.toolguard.policy.state.redis.RedisSharedState;

import java.net.URI;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Opens the shared state store of {@code state.store: redis} (SPEC §14). Kept apart from {@link AgentRuntime} so
 * that the Redis client's classes are loaded only when this class runs, that is only with a Redis store configured.
 */
final class SharedStates {

    /** How often a call waiting for approval reads the store itself, besides being woken by Redis pub/sub. */
    static final java.time.Duration APPROVAL_RECHECK = java.time.Duration.ofSeconds(5);

    private SharedStates() {
    }

    /** The approvals of the fleet in the store {@link #open} returned, redacted as the audit log is. */
    static dev.toolguard.policy.approval.ApprovalStore approvals(SharedState shared,
                                                               dev.toolguard.policy.values.Redaction redaction) {
        return ((RedisSharedState) shared).approvals(redaction, java.time.Clock.systemUTC());
    }

    /** The fleet view's stream (SPEC §16) in the store {@link #open} returned: on connections of its own. */
    static dev.toolguard.policy.state.DecisionStream decisionStream(SharedState shared) {
        return ((RedisSharedState) shared).decisionStream();
    }

    /** State in Redis; every switch of the store is said on stderr, audited as a {@code state} record and counted. */
    static SharedState open(StateSpec spec, Function<String, String> env, AuditSink audit, Metrics metrics,
                            Consumer<String> diagnostics) {
        URI url = URI.create(spec.redisUrl());
        String password = null;
        if (spec.passwordEnv() != null) {
            password = env.apply(spec.passwordEnv());
            if (password == null) {
                diagnostics.accept("toolguard: state.redis.password_env names " + spec.passwordEnv()
                        + ", which is not set: connecting to Redis without a password");
            }
        }
        RedisSettings settings = new RedisSettings(url, password, spec.prefix(), spec.timeout());
        String onUnavailable = spec.onUnavailable().name().toLowerCase(Locale.ROOT);
        String where = url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
                + (url.getPath() == null ? "" : url.getPath());
        StateListener listener = (answering, detail) -> {
            metrics.stateSwitched(answering);
            diagnostics.accept("toolguard: " + detail + (answering ? "" : "; calls that need it: " + onUnavailable));
            try {
                audit.append(new StateRecord(answering ? "available" : "unavailable", where, onUnavailable, detail));
            } catch (AuditWriteException | RuntimeException e) {
                // the decisions say the audit log is not open; the switch is on stderr and in the metrics
            }
        };
        SharedState.OnUnavailable mode = SharedState.OnUnavailable.valueOf(spec.onUnavailable().name());
        return new RedisSharedState(settings, mode, listener);
    }
}
