package dev.toolguard.agent.cli;

import dev.toolguard.policy.cases.CaseResult;
import dev.toolguard.policy.cases.CaseRunner;
import dev.toolguard.policy.cases.CasesFile;
import dev.toolguard.policy.cases.CasesReport;
import dev.toolguard.policy.cases.Coverage;
import dev.toolguard.policy.cases.PolicySources;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/** {@code test <policy>... --cases <cases.yaml>}: runs golden cases against the bundle. */
final class TestCommand implements Command {

    @Override
    public String name() {
        return "test";
    }

    @Override
    public String summary() {
        return "run golden cases against a policy bundle";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard test <policy>... --cases <cases.yaml> [--coverage] [--min-coverage <percent>]

                Decides every case of the cases file against the bundle, each from empty state (no counters,
                no session history but the case's own 'history'). Prints one line per failing case:
                  FAIL <name> (<file>:<line>): expected <action>[; expected rule <id>][; expected reason containing "<text>"], got <action> [<rule>] <reason>
                and ends with exactly
                  <n> passed, <n> failed

                A cases file inside a policy directory is not loaded as a policy.

                --coverage lists, before the last line, every tool no case calls and every rule, forbid entry, lock
                and sequence that decides no case, and the share of them the cases exercise:
                  coverage: <n> of <n> items exercised (<percent>%)
                  not exercised: rule tools.issue_refund.rules[2]
                --min-coverage <percent> (implies --coverage) fails the run below that share.

                Exit codes: 0 every case passed, 1 a case failed, the bundle has errors or the coverage is below
                --min-coverage, 2 bad usage or a cases file that cannot be read or has errors.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("cases", "min-coverage");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("coverage");
    }

    @Override
    public int run(Arguments args, Console console) {
        Double minCoverage = minCoverage(args.option("min-coverage"));
        boolean coverage = args.flag("coverage") || minCoverage != null;
        Path casesPath = Path.of(args.required("cases"));
        if (!Files.isRegularFile(casesPath) || !Files.isReadable(casesPath)) {
            throw new UsageException("cannot read cases file " + casesPath + ": no such readable file");
        }
        if (args.positionals().isEmpty()) {
            throw new UsageException("name at least one policy file or directory");
        }
        CasesFile cases = CasesFile.read(casesPath);
        if (!cases.ok()) {
            for (LoadError error : cases.errors()) {
                console.err().println(error.file() + ":" + error.line() + ":" + error.column() + ": " + PolicyInput.oneLine(error.message()));
            }
            throw new UsageException("the cases file has errors; no case was run");
        }
        LoadResult bundle = PolicyInput.load(PolicySources.excludingCasesFile(args.positionals(), casesPath));
        if (!bundle.ok()) {
            PolicyInput.printErrors(bundle, console.out());
            console.out().println("0 passed, " + cases.cases().size() + " failed");
            return ExitCode.CHECK_FAILED;
        }
        CasesReport report = new CaseRunner(bundle.bundle()).runAll(cases.cases());
        for (CaseResult failure : report.failures()) {
            console.out().println(failure.failureLine());
        }
        boolean covered = true;
        if (coverage) {
            Coverage measured = Coverage.of(bundle.bundle(), report.results());
            console.out().println(measured.summaryLine());
            for (Coverage.Item item : measured.unexercised()) {
                console.out().println("  not exercised: " + item.kind() + " " + item.id());
            }
            if (minCoverage != null && measured.percent() < minCoverage) {
                covered = false;
                console.out().println(String.format(Locale.ROOT, "coverage %.1f%% is below --min-coverage %s%%",
                        measured.percent(), number(minCoverage)));
            }
        }
        console.out().println(report.summaryLine());
        return report.failed() == 0 && covered ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }

    /** The percentage of {@code --min-coverage} (0 to 100, a trailing % allowed), or null when not given. */
    private static Double minCoverage(String option) {
        if (option == null) {
            return null;
        }
        String text = option.endsWith("%") ? option.substring(0, option.length() - 1) : option;
        double p;
        try {
            p = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            p = Double.NaN;
        }
        if (!(p >= 0 && p <= 100)) {
            throw new UsageException("--min-coverage must be a percentage from 0 to 100, not '" + option + "'");
        }
        return p;
    }

    private static String number(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
