package dev.toolguard.agent.context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Source {@code env}: environment variables mapped to context paths. The environment cannot change while the
 * JVM runs, so it is read once, when the source is built.
 */
public final class EnvContextSource implements ContextSource {

    public static final String NAME = "env";

    private final Map<String, String> pathToValue;

    EnvContextSource(Map<String, String> pathToVariable, Map<String, String> environment) {
        Map<String, String> values = new LinkedHashMap<>();
        pathToVariable.forEach((path, variable) -> {
            String v = environment.get(variable);
            if (v != null && !v.isEmpty()) {
                values.put(path, v);
            }
        });
        this.pathToValue = values;
    }

    @Override
    public void contribute(CallSite call, ContextTree ctx) {
        pathToValue.forEach(ctx::put);
    }

    static final class Factory implements ContextSourceFactory {
        private final Map<String, String> environment;

        Factory(Map<String, String> environment) {
            this.environment = environment;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ContextSource create(Map<String, String> mapping, Consumer<String> problem) {
            return new EnvContextSource(mapping, environment);
        }
    }
}
