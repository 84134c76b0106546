package dev.toolguard.agent.cli;

/** Bad usage or unreadable input: reported on stderr, exit code 2. Only ever crosses the command line's own classes. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message, null, false, false);
    }
}
