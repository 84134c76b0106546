package dev.toolguard.agent.context;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a context source may take from a framework's own map of values (a Spring AI {@code ToolContext}, an MCP
 * transport context): plain values only, strings, numbers, booleans, enums (as names), and lists and maps of
 * them. Anything else is absent: its {@code toString()} is never called, and a policy can test for it with
 * {@code has(...)}.
 */
final class PlainValues {

    private static final int MAX_DEPTH = 16;

    private PlainValues() {
    }

    /** The value as a JSON-like value, or null when it is not plain (then it is absent). */
    static Object of(Object v) {
        return of(v, 0);
    }

    private static Object of(Object v, int depth) {
        if (v == null || depth > MAX_DEPTH) {
            return null;
        }
        if (v instanceof String || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float || v instanceof Double || v instanceof java.math.BigDecimal) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof java.math.BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : null;
        }
        if (v instanceof CharSequence || v instanceof Character || v instanceof java.util.UUID) {
            return v.toString();
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object x = of(e.getValue(), depth + 1);
                if (!(e.getKey() instanceof String k) || (x == null && e.getValue() != null)) {
                    return null;
                }
                out.put(k, x);
            }
            return out;
        }
        if (v instanceof Collection<?> c) {
            return list(c.toArray(), depth);
        }
        if (v.getClass().isArray() && !v.getClass().getComponentType().isPrimitive()) {
            return list((Object[]) v, depth);
        }
        if (v.getClass().isArray()) {
            Object[] boxed = new Object[Array.getLength(v)];
            for (int i = 0; i < boxed.length; i++) {
                boxed[i] = Array.get(v, i);
            }
            return list(boxed, depth);
        }
        return null;
    }

    /** A list whose elements are all plain, else null: half a list would mislead a policy. */
    private static List<Object> list(Object[] elements, int depth) {
        List<Object> out = new ArrayList<>(elements.length);
        for (Object element : elements) {
            Object x = of(element, depth + 1);
            if (x == null) {
                return null;
            }
            out.add(x);
        }
        return out;
    }
}
