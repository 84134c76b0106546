package dev.toolguard.policy.values;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The one equality and number order of JSON-like values, used by expressions ({@code ==}, {@code in}) and by
 * decisions (locks): CEL's heterogeneous equality (SPEC §4). Numbers compare by value across int and double
 * ({@code 200 == 200.0}); a {@link BigDecimal} that is not the shortest text of a double
 * ({@code 200.0000000000000001}) is compared exactly, never through the double it rounds to (SPEC §13.9);
 * lists element by element, maps key by key; values of different kinds are unequal, never an error.
 */
public final class ValueEquality {

    /** What {@link #lookup} returns when the key is absent, so that a present {@code null} stays distinct. */
    public static final Object ABSENT = new Object();

    /** What {@link #compareExactly} returns when a NaN makes two numbers unordered. */
    public static final int UNORDERED = Integer.MIN_VALUE;

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private ValueEquality() {
    }

    /**
     * A number in the forms values are compared in: Long for integers, Double for doubles, BigDecimal for a
     * decimal no double holds exactly. Null for an integer beyond int64, which has no CEL form.
     */
    public static Object number(Number value) {
        if (value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return value.longValue();
        }
        if (value instanceof Float) {
            return value.doubleValue();
        }
        if (value instanceof BigInteger big) {
            return big.compareTo(LONG_MIN) < 0 || big.compareTo(LONG_MAX) > 0 ? null : (Object) big.longValue();
        }
        if (value instanceof BigDecimal decimal) {
            // 12.50 is the double 12.5 as before; 200.0000000000000001 stays exact
            double d = decimal.doubleValue();
            return Double.isFinite(d) && BigDecimal.valueOf(d).compareTo(decimal) == 0 ? (Object) d : decimal;
        }
        // AtomicLong, LongAdder and friends are integral; anything else is taken as a double
        return isIntegral(value) ? (Object) value.longValue() : (Object) value.doubleValue();
    }

    /**
     * A number as the decimal it is written as ({@code 0.1} is 0.1, a long as itself), or null for NaN and the
     * infinities.
     */
    public static BigDecimal exact(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte || isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        double d = n.doubleValue();
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }

    /** True when both are numbers in compared form (Long, Double, BigDecimal), so {@link #compareExactly} applies. */
    public static boolean exactlyComparable(Object a, Object b) {
        return isComparedNumber(a) && isComparedNumber(b);
    }

    private static boolean isComparedNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof BigDecimal;
    }

    /**
     * Compares two numbers in compared form without rounding either. Returns the sign of {@code a - b}, or
     * {@link #UNORDERED} when either is NaN.
     */
    public static int compareExactly(Object a, Object b) {
        if (isNaN(a) || isNaN(b)) {
            return UNORDERED;
        }
        if (a instanceof Double x && Double.isInfinite(x)) {
            return b instanceof Double y && y.doubleValue() == x.doubleValue() ? 0 : (x > 0 ? 1 : -1);
        }
        if (b instanceof Double y && Double.isInfinite(y)) {
            return y > 0 ? -1 : 1;
        }
        return Integer.signum(exact((Number) a).compareTo(exact((Number) b)));
    }

    private static boolean isNaN(Object v) {
        return v instanceof Double d && d.isNaN();
    }

    private static boolean isIntegral(Number number) {
        return number instanceof java.util.concurrent.atomic.AtomicLong
                || number instanceof java.util.concurrent.atomic.AtomicInteger
                || number instanceof java.util.concurrent.atomic.LongAdder
                || number instanceof java.util.concurrent.atomic.LongAccumulator;
    }

    /** The value under {@code key}, or {@link #ABSENT}. JSON maps have string keys; others are searched. */
    public static Object lookup(Map<?, ?> map, Object key) {
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

    /** Equal by value across int, double and exact decimals, element-wise for lists and maps, false across kinds. */
    public static boolean equal(Object a, Object b) {
        if (a == b && (a == null || a instanceof String || a instanceof Long || a instanceof Boolean)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Number n || b instanceof Number) {
            if (!(a instanceof Number) || !(b instanceof Number)) {
                return false;
            }
            Object x = number((Number) a);
            Object y = number((Number) b);
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
            return false; // an integer beyond int64 equals nothing, as it has no value a policy can hold
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
}
