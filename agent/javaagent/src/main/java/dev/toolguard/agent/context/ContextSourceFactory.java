package dev.toolguard.agent.context;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a context source by name from its config mapping. Implementations beyond the standard ones are
 * found with {@link java.util.ServiceLoader} in the agent's own class loader.
 */
public interface ContextSourceFactory {

    /** The name used in the config's {@code context} list, e.g. {@code mdc}. */
    String name();

    /**
     * The source for one config entry, or null when the mapping is unusable; then every reason has been
     * given to {@code problem}.
     */
    ContextSource create(Map<String, String> mapping, Consumer<String> problem);
}
