package dev.toolguard.agent.context;

import dev.toolguard.agent.config.ConfigProblem;
import dev.toolguard.agent.config.ContextSourceSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Context sources by name. The standard ones ({@code api}, {@code mdc}, {@code system-property}, {@code env},
 * {@code spring-security}) are always here; a framework's own source is declared by its module
 * ({@code InstrumentationModule#contextSources}) and added with {@link #register}.
 */
public final class ContextSourceRegistry {

    private final Map<String, ContextSourceFactory> factories = new LinkedHashMap<>();

    private ContextSourceRegistry() {
    }

    /** The standard sources. */
    public static ContextSourceRegistry standard(Map<String, String> environment) {
        return new ContextSourceRegistry()
                .register(new ApiContextSource.Factory())
                .register(new MdcContextSource.Factory())
                .register(new SystemPropertyContextSource.Factory())
                .register(new EnvContextSource.Factory(environment))
                .register(new SpringSecurityContextSource.Factory());
    }

    /** Sources whose values are the same for every call of the process, whoever the caller is. */
    private static final List<String> PROCESS_WIDE = List.of(EnvContextSource.NAME, SystemPropertyContextSource.NAME);

    /** Paths that say who the caller is: what {@code ToolGuard.runAs} is for. */
    private static final List<String> CALLER_PATHS = List.of("user", "session", "tenant");

    /**
     * Warnings for the config's {@code context} list: a process-wide source ({@code env}, {@code system-property})
     * that maps a caller path ({@code user.*}, {@code session.*}, {@code tenant}) after the {@code api} source
     * overrides, for every call, what the application sets for that caller with {@code ToolGuard.runAs}: every
     * caller would then act as one. Said at start, naming both sources; listing {@code api} after it lets the
     * application's value win.
     */
    public static List<String> callerPathsOverridingTheApi(List<ContextSourceSpec> specs) {
        int api = -1;
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).name().equals(ApiContextSource.NAME)) {
                api = i;
            }
        }
        List<String> warnings = new ArrayList<>();
        for (int i = api + 1; i < specs.size(); i++) {
            ContextSourceSpec spec = specs.get(i);
            if (!PROCESS_WIDE.contains(spec.name())) {
                continue;
            }
            for (Map.Entry<String, String> e : spec.mapping().entrySet()) {
                String path = e.getKey();
                String root = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
                if (CALLER_PATHS.contains(root)) {
                    warnings.add("context source '" + spec.name() + "' (" + spec.where() + ") sets " + path + " from "
                            + e.getValue() + " for every call of the process, overriding the " + path
                            + " the application sets with ToolGuard.runAs or ToolGuard.context() (source 'api'"
                            + (api < 0 ? ", always on and first" : ", listed before it") + "); list '- api: {}' after '"
                            + spec.name() + "' to let the application's value win");
                }
            }
        }
        return warnings;
    }

    public ContextSourceRegistry register(ContextSourceFactory factory) {
        factories.put(factory.name(), factory);
        return this;
    }

    public List<String> names() {
        return List.copyOf(factories.keySet());
    }

    /**
     * The assembler for the config's {@code context} list. The {@code api} source always runs, first unless
     * the list names it somewhere else. Unknown names and unusable mappings become problems.
     */
    public ContextAssembler assemble(List<ContextSourceSpec> specs, List<ConfigProblem> problems) {
        return assemble(specs, dev.toolguard.policy.values.ValueBounds.DEFAULT, problems);
    }

    /** The same, converting the framework values sources take within {@code bounds} (the config's {@code arguments.*}). */
    public ContextAssembler assemble(List<ContextSourceSpec> specs, dev.toolguard.policy.values.ValueBounds bounds,
                                     List<ConfigProblem> problems) {
        List<ContextSource> sources = new ArrayList<>();
        if (specs.stream().noneMatch(s -> s.name().equals(ApiContextSource.NAME))) {
            sources.add(new ApiContextSource());
        }
        for (ContextSourceSpec spec : specs) {
            ContextSourceFactory f = factories.get(spec.name());
            if (f == null) {
                problems.add(new ConfigProblem(spec.where(), "unknown context source '" + spec.name()
                        + "' (available: " + String.join(", ", factories.keySet()) + ")"));
                continue;
            }
            ContextSource source = f.create(spec.mapping(),
                    message -> problems.add(new ConfigProblem(spec.where(), spec.name() + ": " + message)));
            if (source != null) {
                sources.add(source);
            }
        }
        return new ContextAssembler(sources, bounds);
    }
}
