package dev.toolguard.agent.cli;

import dev.toolguard.agent.config.ConfigProblem;
import dev.toolguard.agent.config.ConfigResolver;
import dev.toolguard.instrumentation.file.RulesFile;
import dev.toolguard.policy.cases.PolicySources;
import dev.toolguard.policy.load.CompiledBundle;
import dev.toolguard.policy.load.LintWarning;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.values.LocatedMap;
import dev.toolguard.policy.values.LocatedNode;
import dev.toolguard.policy.values.LocatedReader;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code validate <file>...}: checks each file as what it is (SPEC §11). Policy files (and directories, URLs) load
 * as one bundle, whose lint warnings are printed too; an agent config ({@code toolguard.yaml}) and a rules file
 * ({@code rules.yaml}), recognised by their shape, are checked by the readers the agent itself uses.
 */
final class ValidateCommand implements Command {

    /** What a file is, as validate tells it apart. */
    enum Kind { POLICY, AGENT_CONFIG, RULES }

    /** Top-level keys only a policy has: a file with one of them is a policy whatever else it holds. */
    private static final Set<String> POLICY_KEYS = Set.of("apiVersion", "kind", "metadata", "default", "roles",
            "forbid", "tools", "sequences");
    /** Top-level keys of an agent config (SPEC §2 and the sections added later). */
    private static final Set<String> CONFIG_KEYS = Set.of("policy", "mode", "on_error", "instrumentation", "context",
            "audit", "approvals", "admin", "arguments", "state", "egress", "credentials");

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public String summary() {
        return "check policy files, an agent config or a rules file and report every error";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard validate [--strict] <file>...

                Checks each file as what it is:
                  policy files, directories (*.yaml, *.yml, *.json) and http(s) URLs load as one bundle;
                  an agent config (toolguard.yaml: policy, instrumentation, audit, ... at the top) is read as the
                    agent reads it at start, and the rules files it names are checked too;
                  a rules file (rules.yaml: a 'tools' list of class/implements/annotation entries) is read as the
                    agent reads it.
                A file is a policy when it has 'kind: Policy' or any policy key (apiVersion, tools as a map, roles, ...).
                On success prints one line per checked thing:
                  OK <name> <version> sha256:<hex> <n> tools
                  OK agent config <file>
                  OK rules <file>: <n> entries
                Every problem is printed as
                  <file>:<line>:<col>: <message>
                and every lint warning of a bundle that loads as
                  <file>:<line>:<col>: warning: <message> [<check>]

                Options:
                  --strict   lint warnings fail the check (exit 1), as errors do

                Exit codes: 0 everything checks out, 1 an error (or, with --strict, a warning),
                2 bad usage or a path that does not exist.
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
        if (args.positionals().isEmpty()) {
            throw new UsageException("name at least one policy file or directory, agent config or rules file");
        }
        PrintStream out = console.out();
        List<String> policies = new ArrayList<>();
        int errors = 0;
        int warnings = 0;
        boolean bundleFailed = false;
        for (String input : args.positionals()) {
            switch (kindOf(input)) {
                case AGENT_CONFIG -> errors += checkConfig(Path.of(input), out);
                case RULES -> errors += checkRules(Path.of(input), out);
                default -> policies.add(input);
            }
        }
        if (!policies.isEmpty()) {
            LoadResult result = PolicyInput.load(policies);
            if (!result.ok()) {
                PolicyInput.printErrors(result, out);
                errors += result.errors().size();
                bundleFailed = true;
            } else {
                for (LintWarning w : result.warnings()) {
                    out.println(PolicyInput.oneLine(w.toString()));
                }
                warnings = result.warnings().size();
                if (warnings == 0 || !args.flag("strict")) {
                    // under --strict a bundle with warnings does not check out, so it gets no OK line
                    out.println(summaryLine(result.bundle()));
                }
            }
        }
        if (errors > 0) {
            console.err().println("validate: " + count(errors, "error") + (bundleFailed ? ", the bundle does not load" : ""));
            return ExitCode.CHECK_FAILED;
        }
        if (warnings > 0 && args.flag("strict")) {
            console.err().println("validate: " + count(warnings, "warning") + ", which --strict makes errors");
            return ExitCode.CHECK_FAILED;
        }
        return ExitCode.OK;
    }

    /**
     * What a file is, by its {@code kind} and shape; a directory, a URL, a file that cannot be read or parsed and
     * anything unclear is a policy, whose loader then says what is wrong with it.
     */
    static Kind kindOf(String input) {
        if (PolicySources.isUrl(input)) {
            return Kind.POLICY;
        }
        Path path;
        try {
            path = Path.of(input);
        } catch (RuntimeException e) {
            return Kind.POLICY;
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            return Kind.POLICY;
        }
        LocatedReader.ReadResult read = LocatedReader.readFile(path);
        if (!read.ok() || !(read.root() instanceof LocatedMap top)) {
            return Kind.POLICY;
        }
        LocatedNode tools = top.get("tools");
        if (top.keys().equals(Set.of("tools")) && tools != null && !(tools instanceof LocatedMap)) {
            return Kind.RULES; // a rules file's tools are a list; a policy's a map
        }
        boolean policyKey = top.keys().stream().anyMatch(POLICY_KEYS::contains);
        boolean configKey = top.keys().stream().anyMatch(CONFIG_KEYS::contains);
        return configKey && !policyKey ? Kind.AGENT_CONFIG : Kind.POLICY;
    }

    /** Checks an agent config, and the rules files it names; returns how many problems it printed. */
    private static int checkConfig(Path file, PrintStream out) {
        ConfigResolver.Result read = ConfigResolver.readFile(file);
        for (ConfigProblem p : read.problems()) {
            out.println(PolicyInput.oneLine(p.toString()));
        }
        int problems = read.problems().size();
        if (problems == 0) {
            out.println("OK agent config " + file);
        }
        for (Path rules : read.config().rulesFiles()) {
            problems += checkRules(rules, out);
        }
        return problems;
    }

    /** Checks a rules file; returns how many problems it printed. */
    private static int checkRules(Path file, PrintStream out) {
        RulesFile.Result read = RulesFile.read(file);
        read.problems().forEach(p -> out.println(PolicyInput.oneLine(p.toString())));
        if (read.ok()) {
            out.println("OK rules " + file + ": " + count(read.rules().size(), "entry"));
        }
        return read.problems().size();
    }

    private static String count(int n, String what) {
        return n + " " + (n == 1 ? what : what.equals("entry") ? "entries" : what + "s");
    }

    static String summaryLine(PolicyBundle bundle) {
        return "OK " + bundle.name() + " " + bundle.version() + " sha256:" + bundle.sha256() + " " + toolCount(bundle) + " tools";
    }

    private static int toolCount(PolicyBundle bundle) {
        return bundle instanceof CompiledBundle compiled ? compiled.tools().size() : 0;
    }
}
