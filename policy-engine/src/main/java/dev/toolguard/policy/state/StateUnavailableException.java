package dev.toolguard.policy.state;

/** The shared state store did not answer in time (or refused): the call goes by {@code on_unavailable}. */
public final class StateUnavailableException extends Exception {

    public StateUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
