package dev.toolguard.policy.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The run-time value rules: what a Java value counts as (any integral Number is an int, any other a
 * double), CEL equality and ordering across types, and the names used in error messages.
 */
final class Values {

    /** What a map lookup returns when the key is absent, so that a present {@code null} stays distinct. */
    static final Object ABSENT = new Object();

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Values() {
    }

    /**
     * Brings a value read from the inputs to the evaluator's forms: Long for ints, Double for doubles.
     * An integer beyond int64 becomes an error, like an overflow would.
     */
    static Object normalize(Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof Boolean
                || value instanceof Double || value instanceof Map || value instanceof List) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float) {
            return ((Float) value).doubleValue();
        }
        if (value instanceof BigInteger big) {
            if (big.compareTo(LONG_MIN) < 0 || big.compareTo(LONG_MAX) > 0) {
                return new EvalError("integer out of range: " + big);
            }
            return big.longValue();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        if (value instanceof Number number) {
            // AtomicLong, LongAdder and friends are integral; anything else is taken as a double
            return isIntegral(number) ? (Object) number.longValue() : (Object) number.doubleValue();
        }
        if (value instanceof Character c) {
            return String.valueOf(c);
        }
        return value;
    }

    private static boolean isIntegral(Number number) {
        return number instanceof java.util.concurrent.atomic.AtomicLong
                || number instanceof java.util.concurrent.atomic.AtomicInteger
                || number instanceof java.util.concurrent.atomic.LongAdder
                || number instanceof java.util.concurrent.atomic.LongAccumulator;
    }

    /** The value under {@code key}, or {@link #ABSENT}. JSON maps have string keys; others are searched. */
    static Object lookup(Map<?, ?> map, Object key) {
        if (key instanceof String) {
            Object value = map.get(key);
            if (value == null && !map.containsKey(key)) {
                return ABSENT;
            }
            return value;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String) && equal(entry.getKey(), key)) {
                return entry.getValue();
            }
        }
        return ABSENT;
    }

    /** CEL equality: by value across int and double, element-wise for lists and maps, false across other types. */
    static boolean equal(Object a, Object b) {
        if (a == b && (a == null || a instanceof String || a instanceof Long || a instanceof Boolean)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Number || b instanceof Number) {
            Object x = normalize(a);
            Object y = normalize(b);
            if (x instanceof Long l) {
                if (y instanceof Long m) {
                    return l.longValue() == m.longValue();
                }
                return y instanceof Double d && Double.compare(l.doubleValue(), d) == 0;
            }
            if (x instanceof Double d) {
                if (y instanceof Double e) {
                    return d.doubleValue() == e.doubleValue();
                }
                return y instanceof Long m && Double.compare(d, m.doubleValue()) == 0;
            }
            return false;
        }
        if (a instanceof String || a instanceof Boolean) {
            return a.equals(b);
        }
        if (a instanceof List<?> l) {
            if (!(b instanceof List<?> m) || l.size() != m.size()) {
                return false;
            }
            for (int i = 0; i < l.size(); i++) {
                if (!equal(l.get(i), m.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> l) {
            if (!(b instanceof Map<?, ?> m) || l.size() != m.size()) {
                return false;
            }
            for (Map.Entry<?, ?> entry : l.entrySet()) {
                Object other = lookup(m, entry.getKey());
                if (other == ABSENT || !equal(entry.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Whether {@code element} is in a list, or is a key of a map. */
    static Object contains(Object container, Object element) {
        if (container instanceof List<?> list) {
            for (int i = 0, n = list.size(); i < n; i++) {
                if (equal(list.get(i), element)) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
        if (container instanceof Map<?, ?> map) {
            return lookup(map, element) != ABSENT;
        }
        if (container instanceof Collection<?> collection) {
            for (Object item : collection) {
                if (equal(item, element)) {
                    return Boolean.TRUE;
                }
            }
            return Boolean.FALSE;
        }
        return new EvalError("'in' needs a list or a map, not " + typeName(container));
    }

    /** The CEL type name of a value, for messages. */
    static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "string";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return "int";
        }
        if (value instanceof Number) {
            return "double";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "map";
        }
        if (value instanceof EvalError) {
            return "error";
        }
        return value.getClass().getSimpleName();
    }

    static EvalError mismatch(String operator, Object a, Object b) {
        return new EvalError("type mismatch: '" + operator + "' on " + typeName(a) + " and " + typeName(b));
    }

    static EvalError mismatch(String operator, Object a) {
        return new EvalError("type mismatch: '" + operator + "' on " + typeName(a));
    }

    static EvalError notBool(String operator, Object value) {
        return new EvalError("type mismatch: '" + operator + "' needs a bool, not " + typeName(value));
    }

    /** A short rendering of a value for messages, never longer than a line. */
    static String show(Object value) {
        String text = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
