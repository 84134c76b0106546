package dev.toolguard.policy.expr;

import dev.toolguard.policy.values.ValueEquality;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The evaluator's view of run-time values: their forms (any integral Number is an int, any other a double),
 * membership, and the names used in error messages. Equality and number order are the values toolkit's
 * ({@link ValueEquality}), the same that decisions use.
 */
final class Values {

    /** What a map lookup returns when the key is absent, so that a present {@code null} stays distinct. */
    static final Object ABSENT = ValueEquality.ABSENT;

    /** What {@link #compareExactly} returns when a NaN makes two numbers unordered. */
    static final int UNORDERED = ValueEquality.UNORDERED;

    private Values() {
    }

    /**
     * Brings a value read from the inputs to the evaluator's forms: Long for ints, Double for doubles, an exact
     * BigDecimal for a decimal no double holds ({@link ValueEquality#number}). An integer beyond int64 becomes
     * an error, like an overflow would.
     */
    static Object normalize(Object value) {
        if (value == null || value instanceof String || value instanceof Long || value instanceof Boolean
                || value instanceof Double || value instanceof Map || value instanceof List) {
            return value;
        }
        if (value instanceof Number number) {
            Object n = ValueEquality.number(number);
            return n != null ? n : new EvalError("integer out of range: " + number);
        }
        if (value instanceof Character c) {
            return String.valueOf(c);
        }
        return value;
    }

    /** The double an exact decimal rounds to, for the operations that are double arithmetic; others as given. */
    static Object approximate(Object value) {
        return value instanceof BigDecimal decimal ? (Object) decimal.doubleValue() : value;
    }

    static boolean exactlyComparable(Object a, Object b) {
        return ValueEquality.exactlyComparable(a, b);
    }

    static int compareExactly(Object a, Object b) {
        return ValueEquality.compareExactly(a, b);
    }

    static Object lookup(Map<?, ?> map, Object key) {
        return ValueEquality.lookup(map, key);
    }

    /** The one equality of values (SPEC §4), shared with decisions. */
    static boolean equal(Object a, Object b) {
        return ValueEquality.equal(a, b);
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
