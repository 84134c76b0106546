package dev.toolguard.agent.config;

import dev.toolguard.policy.load.Nearest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The four settings that can be given outside the config file (SPEC §1): {@code config}, {@code policy},
 * {@code mode}, {@code audit}. For each key the first of agent option, system property {@code toolguard.<key>},
 * environment variable {@code TOOLGUARD_<KEY>} that is set wins.
 *
 * <p>A name a few letters from a key ({@code confg=}, {@code -Dtoolguard.confg}, {@code TOOLGUARD_CONFG}) is a
 * problem wherever it is given: the setting it meant is not taken, and a config not read leaves the tools of its rules
 * files unguarded, so such a name breaks the configuration (every guarded call denied) and is read only to guard
 * more ({@link #mistypedFor}). Other {@code toolguard.*} properties and {@code TOOLGUARD_*} variables are left
 * alone: they may be the deployment's own (a token variable, a test's setting).
 */
public final class AgentOptions {

    public static final List<String> KEYS = List.of("config", "policy", "mode", "audit");

    /** A value and where it came from, for error messages. */
    public record Setting(String value, String origin) {
    }

    private final Map<String, Setting> settings;
    /** Agent options of unknown keys, by key, in order: a problem each, and read only to guard more. */
    private final Map<String, String> unknown;

    private AgentOptions(Map<String, Setting> settings, Map<String, String> unknown) {
        this.settings = settings;
        this.unknown = unknown;
    }

    /**
     * Collects the settings; an unknown or malformed agent option is a problem. {@code agentArgs} is the text
     * after {@code -javaagent:toolguard-agent.jar=}, {@code key=value} pairs joined by {@code ,}, or null.
     */
    public static AgentOptions collect(String agentArgs, Properties systemProperties, Map<String, String> env,
                                       List<ConfigProblem> problems) {
        Map<String, Setting> out = new LinkedHashMap<>();
        Map<String, String> unknown = new LinkedHashMap<>();
        for (String key : KEYS) {
            String env1 = blankToNull(env.get("TOOLGUARD_" + key.toUpperCase(Locale.ROOT)));
            if (env1 != null) {
                out.put(key, new Setting(env1, "environment TOOLGUARD_" + key.toUpperCase(Locale.ROOT)));
            }
            String prop = blankToNull(systemProperties.getProperty("toolguard." + key));
            if (prop != null) {
                out.put(key, new Setting(prop, "system property toolguard." + key));
            }
        }
        if (agentArgs != null && !agentArgs.isBlank()) {
            for (String pair : agentArgs.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
                String value = eq < 0 ? null : blankToNull(pair.substring(eq + 1).trim());
                if (!KEYS.contains(key)) {
                    if (value != null) {
                        unknown.put(key, value);
                    }
                    problems.add(new ConfigProblem("agent option", "unknown agent option '" + key
                            + "' (expected " + String.join(", ", KEYS) + ")"));
                } else if (value == null) {
                    problems.add(new ConfigProblem("agent option", "agent option '" + key + "' needs a value: " + key + "=..."));
                } else {
                    out.put(key, new Setting(value, "agent option " + key));
                }
            }
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                mistyped(name.substring(PROPERTY_PREFIX.length()), systemProperties.getProperty(name),
                        "system property " + name, PROPERTY_PREFIX, unknown, problems);
            }
        }
        env.keySet().stream().filter(name -> name.startsWith(ENV_PREFIX)).sorted().forEach(name ->
                mistyped(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT), env.get(name),
                        "environment " + name, ENV_PREFIX, unknown, problems));
        return new AgentOptions(out, unknown);
    }

    private static final String PROPERTY_PREFIX = "toolguard.";
    private static final String ENV_PREFIX = "TOOLGUARD_";

    /** {@code key} (a property's or variable's name after its prefix) a few letters from one of {@link #KEYS}. */
    private static void mistyped(String key, String value, String origin, String prefix, Map<String, String> unknown,
                                 List<ConfigProblem> problems) {
        if (KEYS.contains(key)) {
            return;
        }
        List<String> near = Nearest.names(key, KEYS);
        if (near.isEmpty()) {
            return;
        }
        String meant = prefix.equals(ENV_PREFIX) ? ENV_PREFIX + near.get(0).toUpperCase(Locale.ROOT) : prefix + near.get(0);
        problems.add(new ConfigProblem(origin, "unknown setting, not taken (did you mean " + meant + "?)"));
        String v = blankToNull(value);
        if (v != null) {
            unknown.putIfAbsent(key, v);
        }
    }

    /**
     * The value of an unknown agent option that is a few letters from {@code key} ({@code confg=...} for
     * {@code config}), when {@code key} itself is not set; null otherwise. The option is a problem either way: this
     * is only for reading what a broken configuration may have meant, to guard more.
     */
    public String mistypedFor(String key) {
        if (settings.containsKey(key)) {
            return null;
        }
        for (Map.Entry<String, String> e : unknown.entrySet()) {
            List<String> near = Nearest.names(e.getKey(), KEYS);
            if (!near.isEmpty() && near.get(0).equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The winning setting for a key, or null when none of the three places sets it. */
    public Setting get(String key) {
        return settings.get(key);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
