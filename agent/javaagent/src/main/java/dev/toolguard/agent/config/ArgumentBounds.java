package dev.toolguard.agent.config;

/**
 * How far the agent converts one call's arguments before it gives up and denies the call (SPEC §13.9,
 * {@code arguments.*} in {@code toolguard.yaml}).
 *
 * @param maxDepth  the deepest nesting of lists, maps, records and beans inside one argument
 * @param maxItems  list elements, map entries and properties in all of a call's arguments together
 * @param maxString the longest string (or map key), in UTF-16 characters
 */
public record ArgumentBounds(int maxDepth, int maxItems, int maxString) {

    public static final ArgumentBounds DEFAULT = new ArgumentBounds(64, 100_000, 1024 * 1024);

    public ArgumentBounds {
        if (maxDepth < 1 || maxItems < 1 || maxString < 1) {
            throw new IllegalArgumentException("argument bounds must be positive");
        }
    }
}
