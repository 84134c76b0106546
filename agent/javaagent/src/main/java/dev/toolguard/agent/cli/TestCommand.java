package dev.toolguard.agent.cli;

import dev.toolguard.policy.cases.CaseResult;
import dev.toolguard.policy.cases.CaseRunner;
import dev.toolguard.policy.cases.CasesFile;
import dev.toolguard.policy.cases.CasesReport;
import dev.toolguard.policy.cases.PolicySources;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;

import java.nio.file.Files;
import java.nio.file.Path;
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
                Usage: toolguard test <policy>... --cases <cases.yaml>

                Decides every case of the cases file against the bundle, each from empty state (no counters,
                no session history but the case's own 'history'). Prints one line per failing case:
                  FAIL <name> (<file>:<line>): expected <action>[; expected rule <id>][; expected reason containing "<text>"], got <action> [<rule>] <reason>
                and ends with exactly
                  <n> passed, <n> failed

                A cases file inside a policy directory is not loaded as a policy.

                Exit codes: 0 every case passed, 1 a case failed or the bundle has errors,
                2 bad usage or a cases file that cannot be read or has errors.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("cases");
    }

    @Override
    public int run(Arguments args, Console console) {
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
        console.out().println(report.summaryLine());
        return report.failed() == 0 ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }
}
