package dev.toolguard.agent.cli;

import dev.toolguard.policy.audit.AuditVerification;
import dev.toolguard.policy.audit.AuditVerifier;

import java.nio.file.Files;
import java.nio.file.Path;
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
                  OK <n> records, chain intact
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
        Path file = Path.of(args.positionals().get(0));
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            console.err().println("toolguard verify-audit: cannot read " + file);
            return ExitCode.USAGE;
        }
        AuditVerification result = AuditVerifier.verify(file);
        result.notes().forEach(note -> console.out().println("note: " + note));
        if (result.ok()) {
            console.out().println("OK " + result.message());
            return ExitCode.OK;
        }
        if (result.problem() == AuditVerification.Problem.UNREADABLE) {
            console.err().println("toolguard verify-audit: " + result.message());
            return ExitCode.USAGE;
        }
        console.out().println(file + ":" + result.badLine() + ": " + result.reason());
        console.out().println("FAILED after " + result.records() + " intact records (" + result.message() + ")");
        return ExitCode.CHECK_FAILED;
    }
}
