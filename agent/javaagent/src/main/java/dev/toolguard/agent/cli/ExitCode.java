package dev.toolguard.agent.cli;

/** The exit codes of SPEC §11. */
final class ExitCode {
    /** The command did what was asked and every check held. */
    static final int OK = 0;
    /** A check failed: invalid policy, failing case, broken audit chain, refused approval. */
    static final int CHECK_FAILED = 1;
    /** Bad usage, or input that could not be read or reached. */
    static final int USAGE = 2;

    private ExitCode() {
    }
}
