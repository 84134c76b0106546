package dev.toolguard.agent.context;

import dev.toolguard.policy.values.Converted;
import dev.toolguard.policy.values.PlainValues;
import dev.toolguard.policy.values.ValueBounds;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The context of one call being assembled: a nested tree of JSON-like values written by dotted path.
 * A later write at a path replaces what was there; maps from different sources merge key by key.
 *
 * <p>Decisions never widen (SPEC §5 step 3, §6): an empty list is a value (an empty {@code agent.scopes} grants
 * nothing, where an absent one would limit nothing), and a value a source has but cannot read makes the context
 * unreadable ({@link #problem()}), so the call is denied instead of deciding without it.
 */
public final class ContextTree {

    /** Paths whose values are lists; a source that only has text gives them as comma-separated names. */
    private static final List<String> LIST_PATHS = List.of("user.roles", "agent.scopes");

    /** Made at the first write: a call whose one source hands over a whole tree ({@link #adopt}) never needs it. */
    private Map<String, Object> root;
    private final ValueBounds bounds;
    /** The first value a source handed over that could not be converted; the call is then denied. */
    private String problem;
    /**
     * A tree taken over whole by {@link #adopt} while nothing else was written: returned by {@link #toMap} as
     * it is, and copied into {@link #root} only when a second write comes (the usual call has one source).
     */
    private Map<String, Object> adopted;

    public ContextTree() {
        this(ValueBounds.DEFAULT);
    }

    public ContextTree(ValueBounds bounds) {
        this.bounds = bounds;
    }

    /**
     * Sets a dotted path to a value taken from a framework (a Spring AI {@code ToolContext} entry, an MCP transport
     * value), converted by the values toolkit's one converter within the call's bounds. A value that cannot be
     * converted (an object with no properties, one too deep or too large) is not dropped: it makes the context
     * unreadable ({@link #problem()}), and the call is denied naming the path.
     */
    public void putConverted(String path, Object value) {
        Converted c = PlainValues.of(value, bounds);
        if (c.ok()) {
            put(path, c.value());
        } else if (problem == null) {
            problem = "context " + path + (c.pointer().isEmpty() ? "" : " at " + c.pointer()) + " cannot be read: "
                    + c.problem();
        }
    }

    /**
     * Records that a source has a value at {@code path} that it cannot read (say, authorities that throw): the call
     * is denied naming the path, as for a value that cannot be converted.
     */
    public void unreadable(String path, String why) {
        if (problem == null) {
            problem = "context " + path + " cannot be read: " + why;
        }
    }

    /** Why a value of this context could not be read, or null when every value was. */
    public String problem() {
        return problem;
    }

    /**
     * Sets a dotted path. A null value or an empty string sets nothing: absent, never empty. A list, even an empty
     * one, is a value; at a list path ({@code user.roles}, {@code agent.scopes}) a string is a comma-separated list
     * of names, so an empty property there is an empty list.
     */
    public void put(String path, Object value) {
        unadopt();
        Object v = value instanceof String s && LIST_PATHS.contains(path) ? splitNames(s) : value;
        if (v == null || (v instanceof String s && s.isEmpty())) {
            return;
        }
        String[] parts = path.split("\\.");
        Map<String, Object> node = root();
        for (int i = 0; i < parts.length - 1; i++) {
            node = childMap(node, parts[i]);
        }
        node.put(parts[parts.length - 1], v instanceof Map<?, ?> m ? deepCopy(m) : v);
    }

    /** Merges a whole tree (already nested) over this one. */
    public void merge(Map<String, ?> tree) {
        unadopt();
        mergeInto(root(), tree);
    }

    private Map<String, Object> root() {
        if (root == null) {
            root = new LinkedHashMap<>(4);
        }
        return root;
    }

    /**
     * Merges a tree that is unmodifiable at every level, holds no null values and never changes (the API
     * context's snapshot): into an empty tree, it is taken as it is instead of copied.
     */
    public void adopt(Map<String, Object> frozen) {
        if (adopted == null && (root == null || root.isEmpty())) {
            adopted = frozen;
        } else {
            merge(frozen);
        }
    }

    public boolean isEmpty() {
        return adopted == null && (root == null || root.isEmpty());
    }

    /** The assembled tree; maps are unmodifiable. */
    public Map<String, Object> toMap() {
        return adopted != null ? adopted : root == null ? Map.of() : freeze(root);
    }

    private void unadopt() {
        if (adopted != null) {
            Map<String, Object> tree = adopted;
            adopted = null;
            mergeInto(root(), tree);
        }
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> target, Map<String, ?> source) {
        for (Map.Entry<String, ?> e : source.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                mergeInto(childMap(target, e.getKey()), (Map<String, ?>) m);
            } else if (v != null) {
                target.put(e.getKey(), v);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> childMap(Map<String, Object> node, String key) {
        Object child = node.get(key);
        if (!(child instanceof LinkedHashMap)) {
            Map<String, Object> fresh = new LinkedHashMap<>();
            if (child instanceof Map<?, ?> m) {
                mergeInto(fresh, (Map<String, ?>) m);
            }
            node.put(key, fresh);
            return fresh;
        }
        return (Map<String, Object>) child;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<?, ?> m) {
        Map<String, Object> copy = new LinkedHashMap<>();
        mergeInto(copy, (Map<String, ?>) m);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> freeze(Map<String, Object> node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> m ? freeze((Map<String, Object>) m) : v));
        return Collections.unmodifiableMap(out);
    }

    private static List<String> splitNames(String text) {
        return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
