package dev.toolguard.agent.context;

import java.util.Map;
import java.util.function.Consumer;

/** Source {@code system-property}: JVM system properties mapped to context paths ({@code {agent.id: toolguard.agent.id}}). */
public final class SystemPropertyContextSource implements ContextSource {

    public static final String NAME = "system-property";

    private final Map<String, String> pathToProperty;

    SystemPropertyContextSource(Map<String, String> pathToProperty) {
        this.pathToProperty = Map.copyOf(pathToProperty);
    }

    @Override
    public void contribute(CallSite call, ContextTree ctx) {
        pathToProperty.forEach((path, property) -> ctx.put(path, System.getProperty(property)));
    }

    static final class Factory implements ContextSourceFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ContextSource create(Map<String, String> mapping, Consumer<String> problem) {
            return new SystemPropertyContextSource(mapping);
        }
    }
}
