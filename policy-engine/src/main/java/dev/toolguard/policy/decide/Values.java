package dev.toolguard.policy.decide;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reading and comparing JSON-like values the way policies see them. */
final class Values {

    private Values() {
    }

    /** The value at a path of map keys, or null when any step is missing or not a map. */
    /** {@code root.a.b}, or null; two keys without the array of the general form. */
    static Object at(Map<String, Object> root, String a, String b) {
        Object first = root == null ? null : root.get(a);
        return first instanceof Map<?, ?> map ? map.get(b) : null;
    }

    static Object at(Map<String, Object> root, String... path) {
        Object current = root;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    /** JSON equality; numbers compare by value across integers and decimals (200 equals 200.0). */
    static boolean jsonEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            if (isIntegral(x) && isIntegral(y)) {
                return x.longValue() == y.longValue();
            }
            if (x instanceof BigDecimal || y instanceof BigDecimal || x instanceof BigInteger || y instanceof BigInteger) {
                BigDecimal p = exact(x);
                BigDecimal q = exact(y);
                return p != null && q != null && p.compareTo(q) == 0;
            }
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Map<?, ?> m && b instanceof Map<?, ?> n) {
            if (m.size() != n.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!n.containsKey(e.getKey()) || !jsonEquals(e.getValue(), n.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> l && b instanceof List<?> k) {
            if (l.size() != k.size()) {
                return false;
            }
            Iterator<?> i = l.iterator();
            Iterator<?> j = k.iterator();
            while (i.hasNext()) {
                if (!jsonEquals(i.next(), j.next())) {
                    return false;
                }
            }
            return true;
        }
        return a == null ? b == null : a.equals(b);
    }

    /**
     * Canonical JSON: object keys sorted, no spaces, integral decimals written as integers (so 200 and
     * 200.0 give the same key), strings escaped as JSON requires.
     */
    static String canonicalJson(Object value) {
        StringBuilder out = new StringBuilder();
        writeCanonical(value, out);
        return out.toString();
    }

    private static void writeCanonical(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if ((value instanceof BigDecimal || value instanceof BigInteger) && exact((Number) value) != null) {
            // exactly: 200.0000000000000001 is not the key of 200; 200.0 is
            BigDecimal d = exact((Number) value).stripTrailingZeros();
            out.append(d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString());
        } else if (value instanceof Number n) {
            if (isIntegral(n)) {
                out.append(n.longValue());
            } else {
                double d = n.doubleValue();
                if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                    out.append((long) d);
                } else {
                    out.append(d);
                }
            }
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(e.getKey(), out);
                out.append(':');
                writeCanonical(e.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeCanonical(item, out);
            }
            out.append(']');
        } else {
            writeString(String.valueOf(value), out);
        }
    }

    private static void writeString(String s, StringBuilder out) {
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

    /** A number as the decimal it is written as ({@code 0.1} is 0.1), or null for NaN and infinities. */
    private static BigDecimal exact(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    /** A short description of a value for reasons and traces, never the whole of a long value. */
    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return s.length() > 40 ? "a string of " + s.length() + " characters" : "\"" + s + "\"";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        return String.valueOf(value);
    }
}
