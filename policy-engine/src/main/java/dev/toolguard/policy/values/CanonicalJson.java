package dev.toolguard.policy.values;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one canonical JSON text of a JSON-like value: object keys sorted, no whitespace, numbers by their exact
 * value. {@code 200}, {@code 200L}, {@code 200.0} and {@code BigDecimal("200.00")} are all {@code 200}, while
 * {@code BigDecimal("200.0000000000000001")} keeps every digit, so it never shares a key with 200. Rate-limit,
 * budget and lock keys and approval tickets are compared by this text: two values are "the same" exactly when
 * their canonical texts are equal. A double counts as the decimal it is written as ({@code 0.1} is 0.1), as
 * {@link ValueEquality} compares it.
 *
 * <p>Only JSON-like values have a canonical form: anything else, or nesting past {@link #MAX_DEPTH}, is an
 * {@link IllegalArgumentException}, so that a caller denies instead of keying a call by an object's identity
 * (which would give every call a fresh limit).
 */
public final class CanonicalJson {

    /** Deeper than any call that passes the engine's shape check (SPEC §13.9), so only a bug reaches it. */
    static final int MAX_DEPTH = 128;

    private CanonicalJson() {
    }

    public static String of(Object value) {
        StringBuilder out = new StringBuilder(64);
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("a value nested deeper than " + MAX_DEPTH + " levels has no canonical form");
        }
        if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(out, s);
        } else if (v instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (v instanceof Number n) {
            number(out, n);
        } else if (v instanceof Character || v instanceof Enum<?>) {
            string(out, v instanceof Enum<?> e ? e.name() : v.toString());
        } else if (v instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            Map<String, Object> byKey = new java.util.HashMap<>(map.size() * 2);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (byKey.containsKey(key)) {
                    throw new IllegalArgumentException("two keys of a map read as '" + key + "'");
                }
                byKey.put(key, e.getValue());
                keys.add(key);
            }
            keys.sort(null);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(out, keys.get(i));
                out.append(':');
                write(out, byKey.get(keys.get(i)), depth + 1);
            }
            out.append('}');
        } else if (v instanceof Collection<?> c) {
            out.append('[');
            boolean first = true;
            for (Object item : c) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(out, item, depth + 1);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("a " + v.getClass().getName() + " is not a JSON-like value");
        }
    }

    /** Integers as they are; decimals without trailing zeros, in plain notation; NaN and infinities as strings. */
    private static void number(StringBuilder out, Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            out.append(n);
            return;
        }
        BigDecimal d = ValueEquality.exact(n);
        if (d == null) {
            string(out, Double.toString(n.doubleValue()));
            return;
        }
        d = d.stripTrailingZeros();
        out.append(d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString());
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
