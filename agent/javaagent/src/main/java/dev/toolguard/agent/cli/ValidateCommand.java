package dev.toolguard.agent.cli;

import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.load.CompiledBundle;
import dev.toolguard.policy.load.PolicyBundle;

import java.util.List;
import java.util.Set;

/** {@code validate <policy>...}: loads the bundle and prints every error, or one summary line. */
final class ValidateCommand implements Command {

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "load a policy bundle and report every error";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard validate [--strict] <policy>...

                Loads the files, directories (*.yaml, *.yml, *.json) and http(s) URLs as one bundle.
                On success prints one line:
                  OK <name> <version> sha256:<hex> <n> tools
                otherwise prints every problem as
                  <file>:<line>:<col>: <message>
                Lint warnings (the bundle still loads) come before the OK line, as
                  <file>:<line>:<col>: warning: <message>
                e.g. a deny rule whose condition can error on input the caller controls (it then applies).
                With --strict a warning fails the check (exit 1).

                Exit codes: 0 the bundle loads, 1 it has errors (or, with --strict, warnings), 2 bad usage or a
                policy path that does not exist.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of();
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("strict");
    }

    @Override
    public int run(Arguments args, Console console) {
        LoadResult result = PolicyInput.load(args.positionals());
        if (!result.ok()) {
            PolicyInput.printErrors(result, console.out());
            int count = result.errors().size();
            console.err().println("validate: " + count + (count == 1 ? " error" : " errors") + ", the bundle does not load");
            return ExitCode.CHECK_FAILED;
        }
        List<LoadError> warnings = result.bundle() instanceof CompiledBundle compiled ? compiled.warnings() : List.of();
        for (LoadError warning : warnings) {
            console.out().println(warning.file() + ":" + warning.line() + ":" + warning.column() + ": "
                    + PolicyInput.oneLine(warning.message()));
        }
        if (args.flag("strict") && !warnings.isEmpty()) {
            console.err().println("validate: " + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings")
                    + ", and --strict makes warnings fail");
            return ExitCode.CHECK_FAILED;
        }
        console.out().println(summaryLine(result.bundle()));
        return ExitCode.OK;
    }

    static String summaryLine(PolicyBundle bundle) {
        return "OK " + bundle.name() + " " + bundle.version() + " sha256:" + bundle.sha256() + " " + toolCount(bundle) + " tools";
    }

    private static int toolCount(PolicyBundle bundle) {
        return bundle instanceof CompiledBundle compiled ? compiled.tools().size() : 0;
    }
}
