package dev.toolguard.policy.values;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A mapping read from a source, keys in the order written, each key with its own position. The typed
 * getters return null both when the key is absent and when its value has the wrong type; in the second
 * case they report a located problem first, so callers only ever check for null.
 */
public final class LocatedMap implements LocatedNode {

    /** One key and its value. */
    public record Entry(String key, SourcePosition keyPosition, LocatedNode value) {
    }

    private final Map<String, Entry> entries;
    private final SourcePosition position;

    /** @param entries in source order; keys are unique (the reader reports duplicates and keeps the first) */
    public LocatedMap(List<Entry> entries, SourcePosition position) {
        Map<String, Entry> byKey = new LinkedHashMap<>();
        for (Entry e : entries) {
            byKey.putIfAbsent(e.key(), e);
        }
        this.entries = Collections.unmodifiableMap(byKey);
        this.position = position;
    }

    @Override
    public SourcePosition position() {
        return position;
    }

    @Override
    public String kind() {
        return "a mapping";
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The keys in the order written. */
    public Set<String> keys() {
        return entries.keySet();
    }

    /** The entries in the order written. */
    public Collection<Entry> entries() {
        return entries.values();
    }

    /** The value of {@code key}, or null when absent. */
    public LocatedNode get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    /** Where {@code key} itself is written, or this mapping's position when absent. */
    public SourcePosition keyPosition(String key) {
        Entry e = entries.get(key);
        return e == null ? position : e.keyPosition();
    }

    /**
     * Reports every key not in {@code allowed}, at the key, listing the keys that are expected:
     * {@code unknown key 'acton' (expected one of: action, reason, when, approval)}.
     *
     * @return true when every key is allowed
     */
    public boolean allowOnly(Problems problems, String... allowed) {
        List<String> expected = List.of(allowed);
        boolean ok = true;
        for (Entry e : entries.values()) {
            if (!expected.contains(e.key())) {
                problems.add(e.keyPosition(), "unknown key '" + e.key() + "' (expected one of: "
                        + String.join(", ", expected) + ")");
                ok = false;
            }
        }
        return ok;
    }

    /** The value of a key that must be present; reports it as missing (at this mapping) when it is not. */
    public LocatedNode required(String key, Problems problems) {
        LocatedNode value = get(key);
        if (value == null) {
            problems.add(position, "missing required key '" + key + "'");
        }
        return value;
    }

    public LocatedMap map(String key, Problems problems) {
        LocatedNode v = get(key);
        return v == null ? null : v.asMap(quoted(key), problems);
    }

    public LocatedList list(String key, Problems problems) {
        LocatedNode v = get(key);
        return v == null ? null : v.asList(quoted(key), problems);
    }

    public String string(String key, Problems problems) {
        LocatedNode v = get(key);
        return v == null ? null : v.asString(quoted(key), problems);
    }

    /** Any scalar's text, e.g. {@code version: 1.2} reads as "1.2". */
    public String text(String key, Problems problems) {
        LocatedNode v = get(key);
        return v == null ? null : v.asText(quoted(key), problems);
    }

    public Long longValue(String key, Problems problems) {
        LocatedNode v = get(key);
        return v == null ? null : v.asLong(quoted(key), problems);
    }

    public Double number(String key, Problems problems) {
        LocatedNode v = get(key);
        return v == null ? null : v.asNumber(quoted(key), problems);
    }

    public Boolean bool(String key, Problems problems) {
        LocatedNode v = get(key);
        return v == null ? null : v.asBoolean(quoted(key), problems);
    }

    public Duration duration(String key, Problems problems) {
        LocatedNode v = get(key);
        return v == null ? null : v.asDuration(quoted(key), problems);
    }

    /**
     * A list of strings, also accepting one string for a list of one ({@code tools: drop_table}).
     * Null when absent or wrong (reported).
     */
    public List<String> strings(String key, Problems problems) {
        LocatedNode v = get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof LocatedScalar s && s.value() instanceof String one) {
            return List.of(one);
        }
        LocatedList list = v.asList(quoted(key), problems);
        return list == null ? null : list.strings(quoted(key), problems);
    }

    @Override
    public Object toPlain() {
        Map<String, Object> plain = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            plain.put(e.key(), e.value().toPlain());
        }
        return plain;
    }

    /** The keys in order with their values, for callers that build their own indexes. */
    public List<Entry> entryList() {
        return new ArrayList<>(entries.values());
    }

    private static String quoted(String key) {
        return "'" + key + "'";
    }
}
