package dev.toolguard.agent.cli;

import java.util.Set;

/** {@code verify-audit <file>}: checks the hash chain of an audit log (SPEC §9). */
final class VerifyAuditCommand implements Command {

    @Override
    public String name() {
        return "verify-audit";
    }

    @Override
    public String summary() {
        return "check the hash chain of an audit log";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard verify-audit <file>

                Checks that every record's hash is the sha256 of the record without it, and that every record's
                'prev' is the hash of the record before it, across the whole file.
                Prints
                  OK <n> records
                or names the first bad line:
                  <file>:<line>: <what is wrong>

                Exit codes: 0 the chain holds, 1 the chain is broken, 2 bad usage or the file cannot be read.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of();
    }

    @Override
    public int run(Arguments args, Console console) {
        if (args.positionals().size() != 1) {
            throw new UsageException("name exactly one audit file");
        }
        throw new UsageException("verify-audit is not available in this build");
    }
}
