package dev.toolguard.agent.cli;

import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.replay.Replay;
import dev.toolguard.policy.replay.ReplayInputException;
import dev.toolguard.policy.replay.ReplayReport;
import dev.toolguard.policy.replay.ReplayedCall;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code replay <audit.jsonl>... --policy <candidate>...}: what a candidate bundle would have decided for the calls
 * an audit log recorded (SPEC §17).
 */
final class ReplayCommand implements Command {

    @Override
    public String name() {
        return "replay";
    }

    @Override
    public String summary() {
        return "re-decide recorded calls under a candidate policy bundle";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard replay <audit.jsonl>... --policy <candidate>... [--format text|json|html] [--out <file>]
                                        [--fail-on allow-to-deny,deny-to-allow,other,undecidable]

                Re-decides every decision record of the audit logs (a rotated log's files oldest first), in order,
                under the candidate bundle, each at its recorded time. Rate limits, budgets and session history start
                empty and evolve with the replayed calls as the candidate decides them. A call that went to a person
                counts as require_approval; replay does not resolve approvals.

                Prints how many decisions stayed unchanged (same action, same rule), flipped allow->deny or
                deny->allow, changed otherwise, or are undecidable (the decision read a value the log redacted or cut:
                'undecidable (redacted: /args/password)'), and each call that did not stay unchanged, grouped by tool
                and rule. A broken hash chain is a warning: the records are replayed, the report says where.

                  --format  text (default), json, or html: one self-contained page
                  --out     write the report to this file instead of standard output
                  --fail-on the changes that fail the run, comma-separated

                Exit codes: 0 no change named by --fail-on, 1 such a change, 2 bad usage or input that cannot be
                read (a missing file, a line that is not an audit record, a candidate bundle that does not load),
                named with its file and line.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("format", "out", "fail-on");
    }

    @Override
    public Set<String> listOptions() {
        return Set.of("policy");
    }

    @Override
    public int run(Arguments args, Console console) {
        if (args.positionals().isEmpty()) {
            throw new UsageException("name at least one audit log");
        }
        String format = args.option("format", "text");
        if (!List.of("text", "json", "html").contains(format)) {
            throw new UsageException("--format must be text, json or html, not '" + format + "'");
        }
        Set<ReplayedCall.Change> failOn = failOn(args.option("fail-on"));
        List<Path> logs = new ArrayList<>();
        for (String log : args.positionals()) {
            logs.add(PolicyInput.readablePath(log, "audit log "));
        }
        if (args.list("policy").isEmpty()) {
            throw new UsageException("missing option '--policy' (the candidate bundle)");
        }
        LoadResult candidate = PolicyInput.load(args.list("policy"));
        if (!candidate.ok()) {
            PolicyInput.printErrors(candidate, console.err());
            throw new UsageException("the candidate bundle does not load (" + candidate.errors().size()
                    + (candidate.errors().size() == 1 ? " error)" : " errors)"));
        }
        ReplayReport report;
        try {
            report = Replay.run(candidate.bundle(), logs);
        } catch (ReplayInputException e) {
            throw new UsageException(e.getMessage());
        }
        for (String warning : report.warnings()) {
            console.err().println("warning: " + warning);
        }
        String text = switch (format) {
            case "json" -> ReplayOutput.json(report);
            case "html" -> ReplayOutput.html(report);
            default -> ReplayOutput.text(report);
        };
        String out = args.option("out");
        if (out == null) {
            console.out().print(text);
        } else {
            try {
                Files.writeString(Path.of(out), text, StandardCharsets.UTF_8);
            } catch (IOException | RuntimeException e) {
                throw new UsageException("cannot write " + out + ": " + e.getMessage());
            }
            console.out().println("wrote " + out);
            console.out().println(ReplayOutput.countsLine(report));
        }
        for (ReplayedCall.Change change : failOn) {
            if (report.count(change) > 0) {
                return ExitCode.CHECK_FAILED;
            }
        }
        return ExitCode.OK;
    }

    private static Set<ReplayedCall.Change> failOn(String option) {
        Set<ReplayedCall.Change> out = EnumSet.noneOf(ReplayedCall.Change.class);
        if (option == null) {
            return out;
        }
        for (String word : option.split(",")) {
            String w = word.trim();
            ReplayedCall.Change found = null;
            for (ReplayedCall.Change c : ReplayedCall.Change.values()) {
                if (c != ReplayedCall.Change.UNCHANGED && c.label().equals(w)) {
                    found = c;
                }
            }
            if (found == null) {
                throw new UsageException("--fail-on takes allow-to-deny, deny-to-allow, other and undecidable,"
                        + " comma-separated, not '" + w + "'");
            }
            out.add(found);
        }
        return out;
    }
}
