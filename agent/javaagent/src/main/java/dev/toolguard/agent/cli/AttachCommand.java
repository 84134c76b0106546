package dev.toolguard.agent.cli;

import dev.toolguard.policy.cases.PolicySources;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code attach <pid> [OPTIONS]}: loads the agent into a running JVM (its agentmain). */
final class AttachCommand implements Command {

    static final List<String> KEYS = List.of("config", "policy", "mode", "audit");

    @Override
    public String name() {
        return "attach";
    }

    @Override
    public String summary() {
        return "load the agent into a running JVM";
    }

    @Override
    public String usage() {
        return """
                Usage: toolguard attach <pid> [key=value[,key=value...]]...

                Loads this agent jar into the running JVM with process id <pid>, with the same options as
                -javaagent:toolguard-agent.jar=OPTIONS:
                  config=<file>     the agent config file (toolguard.yaml)
                  policy=<source>   a policy file, directory or http(s) URL
                  mode=<mode>       enforce | shadow
                  audit=<file>      the audit log file
                Relative paths are made absolute here, since the target JVM has its own working directory.
                Example: java -jar toolguard-agent.jar attach 4242 policy=policies/,mode=shadow

                Exit codes: 0 attached, 1 the JVM refused the agent, 2 bad usage or the JVM cannot be reached.
                """;
    }

    @Override
    public Set<String> valuedOptions() {
        return Set.of();
    }

    @Override
    public int run(Arguments args, Console console) {
        if (args.positionals().isEmpty()) {
            throw new UsageException("name the process id of the JVM to attach to");
        }
        String pid = args.positionals().get(0);
        if (!pid.matches("[1-9][0-9]{0,18}")) {
            throw new UsageException("not a process id: " + pid);
        }
        String options = agentOptions(args.positionals().subList(1, args.positionals().size()));
        Path agentJar = agentJar();
        if (agentJar == null) {
            console.err().println("toolguard attach: run it as java -jar toolguard-agent.jar attach ...: "
                    + "this command loads its own jar into the target");
            return ExitCode.USAGE;
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException | RuntimeException e) {
            console.err().println("toolguard attach: cannot attach to JVM " + pid + ": " + e.getMessage()
                    + " (is it running, a JVM of the same user, and not started with -XX:+DisableAttachMechanism?)");
            return ExitCode.USAGE;
        }
        try {
            vm.loadAgent(agentJar.toString(), options.isEmpty() ? null : options);
            console.out().println("attached ToolGuard to JVM " + pid + "; its start line is on that JVM's standard error");
            return ExitCode.OK;
        } catch (AgentLoadException | AgentInitializationException e) {
            console.err().println("toolguard attach: JVM " + pid + " refused the agent: " + e.getMessage());
            return ExitCode.CHECK_FAILED;
        } catch (IOException | RuntimeException e) {
            console.err().println("toolguard attach: loading the agent into JVM " + pid + " failed: " + e.getMessage());
            return ExitCode.USAGE;
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // the agent is loaded or not; the connection is gone either way
            }
        }
    }

    /** The jar this command runs from, which is the agent jar, or null when run from classes. */
    private static Path agentJar() {
        try {
            Path p = Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return java.nio.file.Files.isRegularFile(p) ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** Joins the given {@code key=value} items into the agent's option string, paths made absolute. */
    static String agentOptions(List<String> items) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String item : items) {
            for (String pair : item.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    throw new UsageException("options are key=value, not '" + pair + "'");
                }
                String key = pair.substring(0, equals).trim();
                String value = pair.substring(equals + 1).trim();
                if (!KEYS.contains(key)) {
                    throw new UsageException("unknown option '" + key + "' (expected one of: " + String.join(", ", KEYS) + ")");
                }
                if (value.isEmpty()) {
                    throw new UsageException("option '" + key + "' needs a value");
                }
                if (key.equals("mode") && !(value.equals("enforce") || value.equals("shadow"))) {
                    throw new UsageException("mode must be enforce or shadow, not '" + value + "'");
                }
                if (options.put(key, key.equals("mode") ? value : absolute(value)) != null) {
                    throw new UsageException("option '" + key + "' given twice");
                }
            }
        }
        return options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private static String absolute(String value) {
        if (PolicySources.isUrl(value) || value.equals("-")) {
            return value;
        }
        try {
            return Path.of(value).toAbsolutePath().normalize().toString();
        } catch (RuntimeException e) {
            throw new UsageException("not a valid path: " + value);
        }
    }
}
