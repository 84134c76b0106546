package dev.toolguard.agent.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code java -jar toolguard-agent.jar} (SPEC §11). Exit 0 on success, 1 when a check
 * fails, 2 on bad usage or unreadable input.
 */
public final class Main {

    static final String PROGRAM = "java -jar toolguard-agent.jar";

    private Main() {
    }

    public static void main(String[] args) {
        // The schema validator logs through SLF4J, which would warn on stderr that no logger is bound.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; never calls System.exit, so it can run in-process. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new Console(out, err, System.getenv()));
    }

    static int run(String[] args, Console console) {
        Map<String, Command> commands = commands();
        List<String> words = args == null ? List.of() : Arrays.asList(args);
        if (words.isEmpty()) {
            console.err().print(usage(commands));
            return ExitCode.USAGE;
        }
        String first = words.get(0);
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            if (words.size() > 1 && commands.containsKey(words.get(1))) {
                console.out().print(commandUsage(commands.get(words.get(1))));
            } else if (words.size() > 1) {
                console.err().println("toolguard: unknown command '" + words.get(1) + "'");
                console.err().print(usage(commands));
                return ExitCode.USAGE;
            } else {
                console.out().print(usage(commands));
            }
            return ExitCode.OK;
        }
        if (first.equals("--version")) {
            console.out().println("ToolGuard " + version());
            return ExitCode.OK;
        }
        Command command = commands.get(first);
        if (command == null) {
            console.err().println("toolguard: unknown command '" + first + "'");
            console.err().print(usage(commands));
            return ExitCode.USAGE;
        }
        try {
            Arguments arguments = Arguments.parse(words.subList(1, words.size()), command.valuedOptions(),
                    command.flagOptions(), command.listOptions());
            if (arguments.help()) {
                console.out().print(commandUsage(command));
                return ExitCode.OK;
            }
            return command.run(arguments, console);
        } catch (UsageException e) {
            console.err().println("toolguard " + command.name() + ": " + e.getMessage());
            console.err().println("Run '" + PROGRAM + " " + command.name() + " --help' for usage.");
            return ExitCode.USAGE;
        } catch (RuntimeException | LinkageError e) {
            // A bug of ours must still end with a message and a non-zero exit, never a silent success.
            console.err().println("toolguard " + command.name() + ": internal error: " + e);
            return ExitCode.USAGE;
        } finally {
            console.out().flush();
            console.err().flush();
        }
    }

    static Map<String, Command> commands() {
        Map<String, Command> commands = new LinkedHashMap<>();
        for (Command c : List.of(new ValidateCommand(), new TestCommand(), new ExplainCommand(),
                new VerifyAuditCommand(), new AttachCommand(), ApprovalCommand.approve(), ApprovalCommand.reject(),
                new ReplayCommand(), new ToolsCommand(), new KeygenCommand(), new SignCommand())) {
            commands.put(c.name(), c);
        }
        return commands;
    }

    static String usage(Map<String, Command> commands) {
        StringBuilder text = new StringBuilder();
        text.append("Usage: ").append(PROGRAM).append(" <command> [arguments]\n\n");
        text.append("Commands:\n");
        for (Command c : commands.values()) {
            text.append(String.format("  %-13s %s%n", c.name(), c.summary()));
        }
        text.append("\nRun '").append(PROGRAM).append(" <command> --help' for a command's options.\n");
        text.append("Exit codes: 0 success, 1 a check failed, 2 bad usage or unreadable input.\n");
        return text.toString();
    }

    private static String commandUsage(Command command) {
        return command.usage().replace("Usage: toolguard ", "Usage: " + PROGRAM + " ");
    }

    private static String version() {
        String version = Main.class.getPackage() == null ? null : Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
