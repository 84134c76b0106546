package dev.toolguard.agent.cli;

import java.util.Set;

/** One subcommand of the command line. */
interface Command {

    /** The word that selects it: validate, test, explain, ... */
    String name();

    /** One line for the overall help. */
    String summary();

    /** The full help text of the command. */
    String usage();

    /** The options that take a value, without the leading dashes. */
    Set<String> valuedOptions();

    /** The options that take no value ({@code --strict}), without the leading dashes. */
    default Set<String> flagOptions() {
        return Set.of();
    }

    /** The options that take every word up to the next option ({@code --policy a.yaml b.yaml}), without the dashes. */
    default Set<String> listOptions() {
        return Set.of();
    }

    /** Runs with parsed arguments; throws {@link UsageException} for bad usage or unreadable input. */
    int run(Arguments args, Console console);
}
