package dev.toolguard.agent.runtime;

import dev.toolguard.policy.decide.Decision;

/** Counts what the guard decides, for the admin API's {@code /metrics}. Must be cheap and never throw. */
public interface DecisionMetrics {

    /** One call decided (after approvals and mode), with how long deciding took. */
    void decided(String tool, Decision decision);

    /** An internal error decided by {@code on_error}. */
    void internalError(String tool);

    DecisionMetrics NONE = new DecisionMetrics() {
        @Override
        public void decided(String tool, Decision decision) {
        }

        @Override
        public void internalError(String tool) {
        }
    };
}
