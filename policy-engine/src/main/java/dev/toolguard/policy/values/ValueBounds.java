package dev.toolguard.policy.values;

/**
 * How far {@link PlainValues} converts one call's values before it gives up and says why (SPEC §13.9,
 * {@code arguments.*} in {@code toolguard.yaml}). One set of bounds for a call's arguments and its context.
 *
 * @param maxDepth  the deepest nesting of lists, maps, records and beans inside one value
 * @param maxItems  list elements, map entries and properties in all of one conversion's values together
 * @param maxString the longest string (or map key), in UTF-16 characters
 */
public record ValueBounds(int maxDepth, int maxItems, int maxString) {

    public static final ValueBounds DEFAULT = new ValueBounds(64, 100_000, 1024 * 1024);

    public ValueBounds {
        if (maxDepth < 1 || maxItems < 1 || maxString < 1) {
            throw new IllegalArgumentException("value bounds must be positive");
        }
    }

    /** The problem of a conversion that met more than {@link #maxItems} items. */
    public String tooMany() {
        return "more than " + maxItems + " items (arguments.max_items)";
    }

    /** The problem of a value nested deeper than {@link #maxDepth}. */
    public String tooDeep() {
        return "nested more than " + maxDepth + " levels deep (arguments.max_depth)";
    }

    /** The problem of a string longer than {@link #maxString}. */
    public String tooLong(long length) {
        return "a string of " + length + " characters, longer than arguments.max_string (" + maxString + ")";
    }

    /** The problem of a map key longer than {@link #maxString}. */
    public String longKey() {
        return "a key longer than arguments.max_string (" + maxString + " characters)";
    }
}
