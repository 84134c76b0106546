package dev.toolguard.policy.replay;

/** Input replay cannot read: a file that cannot be read, or a line that is not an audit record ({@code file:line: why}). */
public final class ReplayInputException extends Exception {

    public ReplayInputException(String message) {
        super(message);
    }
}
