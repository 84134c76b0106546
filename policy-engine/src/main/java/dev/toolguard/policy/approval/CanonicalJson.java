package dev.toolguard.policy.approval;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON text of a JSON-like value: object keys sorted, no whitespace, numbers by value (so
 * {@code 200}, {@code 200L} and {@code 200.0} are the same text). Two argument maps are "the same arguments"
 * exactly when their canonical texts are equal.
 */
final class CanonicalJson {

    private static final int MAX_DEPTH = 64;

    private CanonicalJson() {
    }

    static String of(Object value) {
        StringBuilder out = new StringBuilder(128);
        write(out, value, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            // Too deep to compare meaningfully: make it unequal to everything, so no ticket ever matches it.
            out.append("\"[TOO DEEP ").append(System.identityHashCode(v)).append("]\"");
        } else if (v == null) {
            out.append("null");
        } else if (v instanceof String s) {
            string(out, s);
        } else if (v instanceof Boolean b) {
            out.append(b);
        } else if (v instanceof Number n) {
            number(out, n);
        } else if (v instanceof Map<?, ?> map) {
            List<String> keys = new ArrayList<>(map.size());
            for (Object k : map.keySet()) {
                keys.add(String.valueOf(k));
            }
            keys.sort(null);
            out.append('{');
            for (int i = 0; i < keys.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                string(out, keys.get(i));
                out.append(':');
                write(out, map.get(keys.get(i)), depth + 1);
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
        } else if (v instanceof Enum<?> e) {
            string(out, e.name());
        } else {
            string(out, v.getClass().getName() + "@" + System.identityHashCode(v));
        }
    }

    private static void number(StringBuilder out, Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            out.append(n);
            return;
        }
        BigDecimal d;
        if (n instanceof BigDecimal bd) {
            d = bd;
        } else {
            double x = n.doubleValue();
            if (!Double.isFinite(x)) {
                string(out, Double.toString(x));
                return;
            }
            d = new BigDecimal(Double.toString(x));
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
