package dev.toolguard.agent.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command's arguments: positionals and {@code --name value} / {@code --name=value} options. Unknown or
 * repeated options are usage errors; {@code --} ends the options.
 */
final class Arguments {

    private final List<String> positionals;
    private final Map<String, String> options;
    private final boolean help;
    private final Set<String> flags;
    private final Map<String, List<String>> lists;

    private Arguments(List<String> positionals, Map<String, String> options, boolean help, Set<String> flags,
                      Map<String, List<String>> lists) {
        this.positionals = positionals;
        this.options = options;
        this.help = help;
        this.flags = flags;
        this.lists = lists;
    }

    /** Parses {@code args}; {@code valued} names the options that take a value (without the leading dashes). */
    static Arguments parse(List<String> args, Set<String> valued) {
        return parse(args, valued, Set.of());
    }

    /** As {@link #parse(List, Set)}, with {@code flagNames} the options that take no value. */
    static Arguments parse(List<String> args, Set<String> valued, Set<String> flagNames) {
        return parse(args, valued, flagNames, Set.of());
    }

    /**
     * As {@link #parse(List, Set, Set)}, with {@code listNames} the options that take every word after them up to the
     * next option ({@code --policy a.yaml b.yaml}); such an option may also be given more than once.
     */
    static Arguments parse(List<String> args, Set<String> valued, Set<String> flagNames, Set<String> listNames) {
        List<String> positionals = new ArrayList<>();
        Map<String, List<String>> lists = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        Set<String> flags = new java.util.HashSet<>();
        boolean help = false;
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                positionals.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--")) {
                throw new UsageException("unknown option '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            if (flagNames.contains(name) && equals < 0) {
                if (!flags.add(name)) {
                    throw new UsageException("option '--" + name + "' given twice");
                }
                continue;
            }
            if (listNames.contains(name)) {
                List<String> values = lists.computeIfAbsent(name, n -> new ArrayList<>());
                if (equals >= 0) {
                    values.add(arg.substring(equals + 1));
                }
                while (i + 1 < args.size() && (!args.get(i + 1).startsWith("-") || args.get(i + 1).equals("-"))) {
                    values.add(args.get(++i));
                }
                if (values.isEmpty()) {
                    throw new UsageException("option '--" + name + "' needs a value");
                }
                continue;
            }
            if (!valued.contains(name)) {
                throw new UsageException("unknown option '--" + name + "'");
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException("option '--" + name + "' needs a value");
            }
            if (options.putIfAbsent(name, value) != null) {
                throw new UsageException("option '--" + name + "' given twice");
            }
        }
        Map<String, List<String>> listed = new LinkedHashMap<>();
        lists.forEach((name, values) -> listed.put(name, List.copyOf(values)));
        return new Arguments(List.copyOf(positionals), options, help, Set.copyOf(flags), listed);
    }

    List<String> positionals() {
        return positionals;
    }

    boolean help() {
        return help;
    }

    /** Whether the flag {@code --name} was given. */
    boolean flag(String name) {
        return flags.contains(name);
    }

    /** The values of the list option {@code --name}, in order; empty when it was not given. */
    List<String> list(String name) {
        return lists.getOrDefault(name, List.of());
    }

    String option(String name) {
        return options.get(name);
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    String required(String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new UsageException("missing option '--" + name + "'");
        }
        return value;
    }
}
