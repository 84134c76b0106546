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
            return exactOrDouble(decimal);
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

    /**
     * A decimal that is the shortest text of a double (what {@code 12.5} or {@code 0.1} mean) is that double,
     * as before; any other ({@code 200.0000000000000001}) stays a BigDecimal, so that comparisons with it are
     * exact (SPEC §13.9) instead of comparing the double it rounds to.
     */
    private static Object exactOrDouble(BigDecimal decimal) {
        double d = decimal.doubleValue();
        if (Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(decimal) == 0) {
            return d;
        }
        return decimal;
    }

    /** The double an exact decimal rounds to, for the operations that are double arithmetic; others as given. */
    static Object approximate(Object value) {
        return value instanceof BigDecimal decimal ? (Object) decimal.doubleValue() : value;
    }

    /** What {@link #compareExactly} returns when a NaN makes two numbers unordered. */
    static final int UNORDERED = Integer.MIN_VALUE;

    /** True when both are numbers of the evaluator (Long, Double, BigDecimal), so {@link #compareExactly} applies. */
    static boolean exactlyComparable(Object a, Object b) {
        return isEvaluatorNumber(a) && isEvaluatorNumber(b);
    }

    private static boolean isEvaluatorNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof BigDecimal;
    }

    /**
     * Compares two numbers without rounding either: a double counts as the decimal it is written as
     * ({@code 0.1} is 0.1), an int as itself. Returns the sign of {@code a - b}, or {@link #UNORDERED}.
     */
    static int compareExactly(Object a, Object b) {
        if (isNaN(a) || isNaN(b)) {
            return UNORDERED;
        }
        if (a instanceof Double x && Double.isInfinite(x)) {
            return b instanceof Double y && y.doubleValue() == x.doubleValue() ? 0 : (x > 0 ? 1 : -1);
        }
        if (b instanceof Double y && Double.isInfinite(y)) {
            return y > 0 ? -1 : 1;
        }
        return Integer.signum(exact(a).compareTo(exact(b)));
    }

    private static boolean isNaN(Object v) {
        return v instanceof Double d && d.isNaN();
    }

    private static BigDecimal exact(Object finiteNumber) {
        if (finiteNumber instanceof BigDecimal decimal) {
            return decimal;
        }
        if (finiteNumber instanceof Long l) {
            return BigDecimal.valueOf(l);
        }
        return BigDecimal.valueOf((Double) finiteNumber);
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
            if ((x instanceof BigDecimal || y instanceof BigDecimal) && exactlyComparable(x, y)) {
                return compareExactly(x, y) == 0;
            }
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
