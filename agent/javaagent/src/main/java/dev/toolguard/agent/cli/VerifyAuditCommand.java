package dev.toolguard.agent.cli;

import dev.toolguard.policy.audit.AuditAnchor;
import dev.toolguard.policy.audit.AuditVerification;
import dev.toolguard.policy.audit.AuditVerifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** {@code verify-audit <file> [--anchor <hash>:<count>]}: checks an audit log (SPEC §9, §13.11). */
final class VerifyAuditCommand implements Command {

    @Override
    public String name() {
        return "verify-audit";
    }

    @Override
    public String summary() {
        return "check the hash chain, the records and the anchor of an audit log";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard verify-audit <file> [--anchor <hash>:<count>]

                Checks that every record's hash is the sha256 of the record without it, that every record's
                'prev' is the hash of the record before it, across the whole file, and that every record has
                the fields of its type (a checkpoint must count the records up to itself).
                  --anchor <hash>:<count>  as GET /audit/anchor gives it: record <count> must exist and have
                                           that hash, else the log was cut or rewritten after the anchor
                Prints
                  OK <n> records, chain intact
                or names the first bad line:
                  <file>:<line>: <what is wrong>

                Exit codes: 0 the log holds, 1 it does not, 2 bad usage or the file cannot be read.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("anchor");
    }

    @Override
    public int run(Arguments args, Console console) {
        if (args.positionals().size() != 1) {
            throw new UsageException("name exactly one audit file");
        }
        Path file = Path.of(args.positionals().get(0));
        AuditAnchor anchor = null;
        if (args.option("anchor") != null) {
            try {
                anchor = AuditAnchor.parse(args.option("anchor"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--anchor: " + e.getMessage());
            }
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            console.err().println("toolguard verify-audit: cannot read " + file);
            return ExitCode.USAGE;
        }
        AuditVerification result = AuditVerifier.verify(file, anchor);
        result.notes().forEach(note -> console.out().println("note: " + note));
        if (result.ok()) {
            console.out().println("OK " + result.message()
                    + (anchor == null ? "" : ", anchored record " + anchor.count() + " present"));
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
