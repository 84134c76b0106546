package dev.toolguard.agent.cli;

import dev.toolguard.agent.advice.ToolInstaller;
import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.agent.instrument.check.UnmatchedEntries;
import dev.toolguard.instrumentation.ToolCount;
import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.file.RulesFile;
import dev.toolguard.instrumentation.rule.ToolRule;
import dev.toolguard.instrumentation.scan.ClassPathScan;
import net.bytebuddy.dynamic.ClassFileLocator;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code tools --rules <rules.yaml> --classpath <jars and dirs>}: what the built-in modules' annotations and a rules
 * file would guard in an application, from its class files alone (SPEC §11): nothing of the application is loaded
 * or run. The same rules decide as in the agent, so the list is what the agent guards once the classes load.
 */
final class ToolsCommand implements Command {

    @Override
    public String name() {
        return "tools";
    }

    @Override
    public String summary() {
        return "list the methods a rules file and the built-in modules would guard in an application";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard tools [--rules <rules.yaml>[,<more.yaml>]] --classpath <jars and dirs> [--builtin <modules>]

                Reads the class files of the class path (jars and directories, separated by '%s' or ',') without
                loading or running any of them, and prints every method the agent would guard, one per line:
                  <tool name>  <class>#<method>(<parameter types>)  <module>
                ending with a count by module:
                  tools: 6 guarded (guarded-tool 4, rules 2)
                A rules file entry that matches a class but none of its methods, or no class at all, is printed as
                  error: <rules file>:<line>:<col>: ... (did you mean ...?)
                Tools that a framework registers only at run time (MCP SDK tool specifications) are not listed.

                Options:
                  --rules      rules files (SPEC §7), as in instrumentation.rules; none: the built-in modules only
                  --classpath  the application's jars and class directories, with its frameworks' jars
                  --builtin    the built-in modules to apply (default: all: %s)

                Exit codes: 0 listed, 1 a rules file entry matches nothing, 2 bad usage, a path that does not
                exist or a rules file with errors.
                """.formatted(File.pathSeparator, String.join(", ", Modules.NAMES));
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of("rules", "classpath", "builtin");
    }

    @Override
    public int run(Arguments args, Console console) {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positionals().get(0) + "' (give the class path with --classpath)");
        }
        List<Path> classPath = paths(args.required("classpath"), "class path entry");
        List<String> builtin = args.option("builtin") == null ? Modules.NAMES : split(args.option("builtin"));
        for (String module : builtin) {
            if (!Modules.NAMES.contains(module)) {
                throw new UsageException("unknown module '" + module + "' in --builtin (known: " + String.join(", ", Modules.NAMES) + ")");
            }
        }
        List<ToolRule> rules = new ArrayList<>(Modules.annotationRules(Modules.named(builtin)));
        boolean rulesProblems = false;
        if (args.option("rules") != null) {
            for (Path file : paths(args.option("rules"), "rules file")) {
                RulesFile.Result read = RulesFile.read(file);
                read.problems().forEach(p -> console.err().println(PolicyInput.oneLine(p.toString())));
                rulesProblems |= !read.ok();
                rules.addAll(read.rules());
            }
        }
        if (rulesProblems) {
            console.err().println("tools: the rules file has errors; nothing is listed");
            return ExitCode.USAGE;
        }
        ClassPathScan.Result scan;
        try {
            scan = ClassPathScan.scan(classPath, new ToolRules(rules, Modules.parameterNaming()),
                    ToolInstaller.neverTools(), new ClassFileLocator.Compound(new ToolInstaller.ApiClassFiles(),
                            ClassFileLocator.ForClassLoader.ofBootLoader()));
        } catch (IOException e) {
            throw new UsageException("cannot read the class path: " + e.getMessage());
        }
        print(scan, console.out());
        for (String unreadable : scan.unreadable()) {
            console.err().println("tools: could not read " + unreadable);
        }
        return scan.misses().isEmpty() && scan.noClass().isEmpty() ? ExitCode.OK : ExitCode.CHECK_FAILED;
    }

    private static void print(ClassPathScan.Result scan, PrintStream out) {
        int toolWidth = scan.tools().stream().mapToInt(t -> t.toolName().length()).max().orElse(0);
        int siteWidth = scan.tools().stream().mapToInt(t -> t.signature().length()).max().orElse(0);
        for (ToolMethod t : scan.tools()) {
            out.println(String.format("%-" + toolWidth + "s  %-" + siteWidth + "s  %s", t.toolName(), t.signature(),
                    t.ruleSet()));
        }
        for (ToolRules.Miss miss : scan.misses()) {
            out.println("error: " + UnmatchedEntries.methodMissingText(miss) + (miss.refusesTheClass()
                    ? "; the agent refuses the class's public methods until the entry is mended" : ""));
        }
        for (ToolRule r : scan.noClass()) {
            out.println("error: " + UnmatchedEntries.noClassText(r, "class on the class path", scan.classNames()));
        }
        out.println("tools: " + ToolCount.of(scan.tools()));
    }

    private static List<Path> paths(String list, String what) {
        List<Path> out = new ArrayList<>();
        for (String s : split(list)) {
            out.add(PolicyInput.readablePath(s, what + " "));
        }
        if (out.isEmpty()) {
            throw new UsageException("--" + (what.startsWith("rules") ? "rules" : "classpath") + " names nothing");
        }
        return out;
    }

    private static List<String> split(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split("[,\\Q" + File.pathSeparator + "\\E]")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
