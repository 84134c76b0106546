package dev.toolguard.agent.config;

import dev.toolguard.policy.load.Nearest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Resolves the agent's settings in the order of SPEC §1: agent options > system property > environment >
 * config file > default. Never throws: problems come back with the config, and the caller decides what a
 * broken configuration means (at start: no policy, every guarded call denied).
 */
public final class ConfigResolver {

    /** The resolved config and every problem found; with problems, the config must not be trusted to allow. */
    public record Result(AgentConfig config, List<ConfigProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private ConfigResolver() {
    }

    /** Resolves from the real JVM: its system properties, its environment, the working directory. */
    public static Result resolve(String agentArgs) {
        return resolve(agentArgs, System.getProperties(), System.getenv(), Path.of("").toAbsolutePath());
    }

    /**
     * Reads one agent config file alone, as {@code validate} checks it: no agent options, system properties or
     * environment, so that only the file's own problems are found (an admin token is the deployment's business).
     */
    public static Result readFile(Path file) {
        List<ConfigProblem> problems = new ArrayList<>();
        ConfigBuilder b = new ConfigBuilder();
        ConfigFileReader.read(file, b, problems);
        return new Result(b.build(file.toAbsolutePath().getParent()), List.copyOf(problems));
    }

    /**
     * Each named admin user's token variable must be set, and nobody may be named as the user of
     * {@code admin.token_env}. With the admin API on, every token set must be long enough: a short one is a
     * broken configuration, so every guarded call is denied until it is fixed (fail closed).
     */
    private static void checkAdminTokens(ConfigBuilder b, Map<String, String> env, List<ConfigProblem> problems) {
        String adminToken = env.get(b.adminTokenEnv);
        boolean adminTokenSet = adminToken != null && !adminToken.isBlank();
        String tooShort = b.adminListen == null || !adminTokenSet ? null
                : dev.toolguard.agent.admin.AdminServer.tokenTooShort(b.adminTokenEnv, adminToken);
        if (tooShort != null) {
            problems.add(new ConfigProblem("environment " + b.adminTokenEnv, tooShort));
        }
        for (AdminUserSpec user : b.adminUsers) {
            String token = null;
            if (user.tokenFile() != null) {
                try {
                    token = user.token().read(env);
                } catch (java.io.IOException e) {
                    problems.add(new ConfigProblem(user.where(), "the token of admin user " + user.name()
                            + " cannot be read: " + e.getMessage()));
                }
            } else {
                token = env.get(user.tokenEnv());
                if (token == null || token.isBlank()) {
                    problems.add(new ConfigProblem(user.where(), "environment variable " + user.tokenEnv()
                            + " (the token of admin user " + user.name() + ") is not set"));
                    token = null;
                }
            }
            if (token != null && b.adminListen != null) {
                String userTooShort = dev.toolguard.agent.admin.AdminServer.tokenTooShortIn(user.token().toString(), token);
                if (userTooShort != null) {
                    problems.add(new ConfigProblem(user.where(), userTooShort + " (the token of admin user " + user.name() + ")"));
                }
            }
            if (user.name().equals(dev.toolguard.agent.admin.AdminServer.TOKEN_ENV_USER) && adminTokenSet) {
                problems.add(new ConfigProblem(user.where(), "admin user 'admin' is named twice: admin.token_env ("
                        + b.adminTokenEnv + ", which is set) already stands for the user admin"));
            }
        }
    }

    /**
     * {@code confg=toolguard.yaml}, or {@code config=toolgaurd.yaml} beside a {@code toolguard.yaml}: the option is a
     * problem, so no policy loads and every guarded call is denied; the rules files of the file it most likely meant
     * are read all the same, and nothing else of it, so that their tools are guarded and among the denied rather than
     * run undecided (SPEC §13.1). A file that is not there adds nothing.
     */
    private static void rulesFilesOfTheFileMeant(Path file, ConfigBuilder b) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        ConfigBuilder meant = new ConfigBuilder();
        // its problems are not reported: the file was not given as the config, and the option's problem says why
        ConfigFileReader.read(file, meant, new ArrayList<>());
        meant.rulesFiles.stream().filter(f -> !b.rulesFiles.contains(f)).forEach(b.rulesFiles::add);
    }

    public static Result resolve(String agentArgs, Properties systemProperties, Map<String, String> env, Path workingDir) {
        List<ConfigProblem> problems = new ArrayList<>();
        AgentOptions options = AgentOptions.collect(agentArgs, systemProperties, env, problems);
        ConfigBuilder b = new ConfigBuilder();
        Path baseDir = workingDir;

        AgentOptions.Setting config = options.get("config");
        if (config != null) {
            Path file = workingDir.resolve(config.value()).normalize();
            if (!Files.isRegularFile(file)) {
                Path nearest = Nearest.filesBeside(file, List.of(".yaml", ".yml")).stream().findFirst().orElse(null);
                problems.add(new ConfigProblem(config.origin(), "config file " + file + " does not exist"
                        + (nearest == null ? "" : " (did you mean " + nearest.getFileName() + "? its rules files are"
                        + " guarded, and denied, until the config is found)")));
                if (nearest != null) {
                    rulesFilesOfTheFileMeant(nearest, b);
                }
            } else {
                ConfigFileReader.read(file, b, problems);
                baseDir = file.getParent();
            }
        } else if (options.mistypedFor("config") != null) {
            rulesFilesOfTheFileMeant(workingDir.resolve(options.mistypedFor("config")).normalize(), b);
        }

        AgentOptions.Setting policy = options.get("policy");
        if (policy != null) {
            String v = policy.value();
            String lower = v.toLowerCase(Locale.ROOT);
            boolean url = lower.startsWith("http://") || lower.startsWith("https://");
            b.policySources = new ArrayList<>(List.of(url ? v : workingDir.resolve(v).normalize().toString()));
        }
        AgentOptions.Setting mode = options.get("mode");
        if (mode != null) {
            switch (mode.value().toLowerCase(Locale.ROOT)) {
                case "enforce" -> b.mode = EnforcementMode.ENFORCE;
                case "shadow" -> b.mode = EnforcementMode.SHADOW;
                default -> problems.add(new ConfigProblem(mode.origin(),
                        "mode must be enforce or shadow, not '" + mode.value() + "'"));
            }
        }
        AgentOptions.Setting audit = options.get("audit");
        if (audit != null) {
            b.auditFile = audit.value().equals(AgentConfig.AUDIT_TO_STDERR)
                    ? audit.value() : workingDir.resolve(audit.value()).normalize().toString();
        }
        checkAdminTokens(b, env, problems);
        if (b.approvalsWebhookSecret != null) {
            try {
                b.approvalsWebhookSecret.read(env);
            } catch (java.io.IOException e) {
                // an unsigned webhook would be trusted by no receiver, or by one that should not
                problems.add(new ConfigProblem("approvals.webhook_secret", "the webhook's signing secret cannot be read: "
                        + e.getMessage()));
            }
        }
        return new Result(b.build(baseDir), List.copyOf(problems));
    }
}
