package dev.toolguard.agent.config;

import java.util.Map;

/**
 * One entry of the config's {@code context} list (SPEC §6): a source name and its mapping from context
 * paths to the names the source reads ({@code {user.id: userId}}).
 *
 * @param name    the source, e.g. {@code mdc}, {@code system-property}
 * @param mapping context path -> source-specific name, in the order written
 * @param where   {@code file:line:col} of the entry, for errors found when the source is built
 */
public record ContextSourceSpec(String name, Map<String, String> mapping, String where) {
    public ContextSourceSpec {
        mapping = Map.copyOf(mapping);
    }
}
