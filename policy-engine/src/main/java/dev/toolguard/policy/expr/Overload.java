package dev.toolguard.policy.expr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The overloads of CEL's standard functions that the subset uses, declared in CEL's order: when an
 * argument's type is still a free variable, the first overload that fits binds it. The set of overloads
 * that matched when checking is also what may run: a value that fits none of them is an error.
 */
enum Overload {
    IN_LIST(Function.IN, false, Type.BOOL, Type.A, Type.list(Type.A)),
    IN_MAP(Function.IN, false, Type.BOOL, Type.A, Type.map(Type.A, Type.B)),

    CONDITIONAL(Function.CONDITIONAL, false, Type.A, Type.BOOL, Type.A, Type.A),
    NOT(Function.NOT, false, Type.BOOL, Type.BOOL),
    OR(Function.OR, false, Type.BOOL, Type.BOOL, Type.BOOL),
    AND(Function.AND, false, Type.BOOL, Type.BOOL, Type.BOOL),

    EQUALS(Function.EQUALS, false, Type.BOOL, Type.A, Type.A),
    NOT_EQUALS(Function.NOT_EQUALS, false, Type.BOOL, Type.A, Type.A),

    ADD_INT(Function.ADD, false, Type.INT, Type.INT, Type.INT),
    ADD_UINT(Function.ADD, false, Type.UINT, Type.UINT, Type.UINT),
    ADD_DOUBLE(Function.ADD, false, Type.DOUBLE, Type.DOUBLE, Type.DOUBLE),
    ADD_STRING(Function.ADD, false, Type.STRING, Type.STRING, Type.STRING),
    ADD_BYTES(Function.ADD, false, Type.BYTES, Type.BYTES, Type.BYTES),
    ADD_LIST(Function.ADD, false, Type.list(Type.A), Type.list(Type.A), Type.list(Type.A)),
    ADD_TIMESTAMP_DURATION(Function.ADD, false, Type.TIMESTAMP, Type.TIMESTAMP, Type.DURATION),
    ADD_DURATION_TIMESTAMP(Function.ADD, false, Type.TIMESTAMP, Type.DURATION, Type.TIMESTAMP),
    ADD_DURATION_DURATION(Function.ADD, false, Type.DURATION, Type.DURATION, Type.DURATION),

    SUBTRACT_INT(Function.SUBTRACT, false, Type.INT, Type.INT, Type.INT),
    SUBTRACT_UINT(Function.SUBTRACT, false, Type.UINT, Type.UINT, Type.UINT),
    SUBTRACT_DOUBLE(Function.SUBTRACT, false, Type.DOUBLE, Type.DOUBLE, Type.DOUBLE),
    SUBTRACT_TIMESTAMP_TIMESTAMP(Function.SUBTRACT, false, Type.DURATION, Type.TIMESTAMP, Type.TIMESTAMP),
    SUBTRACT_TIMESTAMP_DURATION(Function.SUBTRACT, false, Type.TIMESTAMP, Type.TIMESTAMP, Type.DURATION),
    SUBTRACT_DURATION_DURATION(Function.SUBTRACT, false, Type.DURATION, Type.DURATION, Type.DURATION),

    MULTIPLY_INT(Function.MULTIPLY, false, Type.INT, Type.INT, Type.INT),
    MULTIPLY_UINT(Function.MULTIPLY, false, Type.UINT, Type.UINT, Type.UINT),
    MULTIPLY_DOUBLE(Function.MULTIPLY, false, Type.DOUBLE, Type.DOUBLE, Type.DOUBLE),

    DIVIDE_INT(Function.DIVIDE, false, Type.INT, Type.INT, Type.INT),
    DIVIDE_UINT(Function.DIVIDE, false, Type.UINT, Type.UINT, Type.UINT),
    DIVIDE_DOUBLE(Function.DIVIDE, false, Type.DOUBLE, Type.DOUBLE, Type.DOUBLE),

    MODULO_INT(Function.MODULO, false, Type.INT, Type.INT, Type.INT),
    MODULO_UINT(Function.MODULO, false, Type.UINT, Type.UINT, Type.UINT),

    NEGATE_INT(Function.NEGATE, false, Type.INT, Type.INT),
    NEGATE_DOUBLE(Function.NEGATE, false, Type.DOUBLE, Type.DOUBLE),

    INDEX_LIST(Function.INDEX, false, Type.A, Type.list(Type.A), Type.INT),
    INDEX_MAP(Function.INDEX, false, Type.B, Type.map(Type.A, Type.B), Type.A),

    SIZE_STRING(Function.SIZE, false, Type.INT, Type.STRING),
    SIZE_BYTES(Function.SIZE, false, Type.INT, Type.BYTES),
    SIZE_LIST(Function.SIZE, false, Type.INT, Type.list(Type.A)),
    SIZE_MAP(Function.SIZE, false, Type.INT, Type.map(Type.A, Type.B)),
    STRING_SIZE(Function.SIZE, true, Type.INT, Type.STRING),
    BYTES_SIZE(Function.SIZE, true, Type.INT, Type.BYTES),
    LIST_SIZE(Function.SIZE, true, Type.INT, Type.list(Type.A)),
    MAP_SIZE(Function.SIZE, true, Type.INT, Type.map(Type.A, Type.B)),

    INT_FROM_INT(Function.INT, false, Type.INT, Type.INT),
    INT_FROM_UINT(Function.INT, false, Type.INT, Type.UINT),
    INT_FROM_DOUBLE(Function.INT, false, Type.INT, Type.DOUBLE),
    INT_FROM_STRING(Function.INT, false, Type.INT, Type.STRING),
    INT_FROM_TIMESTAMP(Function.INT, false, Type.INT, Type.TIMESTAMP),

    DOUBLE_FROM_DOUBLE(Function.DOUBLE, false, Type.DOUBLE, Type.DOUBLE),
    DOUBLE_FROM_INT(Function.DOUBLE, false, Type.DOUBLE, Type.INT),
    DOUBLE_FROM_UINT(Function.DOUBLE, false, Type.DOUBLE, Type.UINT),
    DOUBLE_FROM_STRING(Function.DOUBLE, false, Type.DOUBLE, Type.STRING),

    STRING_FROM_STRING(Function.STRING, false, Type.STRING, Type.STRING),
    STRING_FROM_INT(Function.STRING, false, Type.STRING, Type.INT),
    STRING_FROM_UINT(Function.STRING, false, Type.STRING, Type.UINT),
    STRING_FROM_DOUBLE(Function.STRING, false, Type.STRING, Type.DOUBLE),
    STRING_FROM_BOOL(Function.STRING, false, Type.STRING, Type.BOOL),
    STRING_FROM_BYTES(Function.STRING, false, Type.STRING, Type.BYTES),
    STRING_FROM_TIMESTAMP(Function.STRING, false, Type.STRING, Type.TIMESTAMP),
    STRING_FROM_DURATION(Function.STRING, false, Type.STRING, Type.DURATION),

    MATCHES(Function.MATCHES, false, Type.BOOL, Type.STRING, Type.STRING),
    MATCHES_STRING(Function.MATCHES, true, Type.BOOL, Type.STRING, Type.STRING),
    CONTAINS_STRING(Function.CONTAINS, true, Type.BOOL, Type.STRING, Type.STRING),
    ENDS_WITH_STRING(Function.ENDS_WITH, true, Type.BOOL, Type.STRING, Type.STRING),
    STARTS_WITH_STRING(Function.STARTS_WITH, true, Type.BOOL, Type.STRING, Type.STRING),
    LOWER_ASCII(Function.LOWER_ASCII, true, Type.STRING, Type.STRING),

    LESS_BOOL(Function.ORDER, false, Type.BOOL, Type.BOOL, Type.BOOL),
    LESS_INT(Function.ORDER, false, Type.BOOL, Type.INT, Type.INT),
    LESS_UINT(Function.ORDER, false, Type.BOOL, Type.UINT, Type.UINT),
    LESS_DOUBLE(Function.ORDER, false, Type.BOOL, Type.DOUBLE, Type.DOUBLE),
    LESS_STRING(Function.ORDER, false, Type.BOOL, Type.STRING, Type.STRING),
    LESS_BYTES(Function.ORDER, false, Type.BOOL, Type.BYTES, Type.BYTES),
    LESS_TIMESTAMP(Function.ORDER, false, Type.BOOL, Type.TIMESTAMP, Type.TIMESTAMP),
    LESS_DURATION(Function.ORDER, false, Type.BOOL, Type.DURATION, Type.DURATION),
    LESS_INT_UINT(Function.ORDER, false, Type.BOOL, Type.INT, Type.UINT),
    LESS_UINT_INT(Function.ORDER, false, Type.BOOL, Type.UINT, Type.INT),
    LESS_INT_DOUBLE(Function.ORDER, false, Type.BOOL, Type.INT, Type.DOUBLE),
    LESS_DOUBLE_INT(Function.ORDER, false, Type.BOOL, Type.DOUBLE, Type.INT),
    LESS_UINT_DOUBLE(Function.ORDER, false, Type.BOOL, Type.UINT, Type.DOUBLE),
    LESS_DOUBLE_UINT(Function.ORDER, false, Type.BOOL, Type.DOUBLE, Type.UINT);

    /** The functions of the subset; the four orderings share one set of overloads. */
    enum Function {
        IN("in"), CONDITIONAL("?:"), NOT("!"), OR("||"), AND("&&"), EQUALS("=="), NOT_EQUALS("!="),
        ADD("+"), SUBTRACT("-"), MULTIPLY("*"), DIVIDE("/"), MODULO("%"), NEGATE("-"), INDEX("[]"),
        SIZE("size"), INT("int"), DOUBLE("double"), STRING("string"), MATCHES("matches"), CONTAINS("contains"),
        ENDS_WITH("endsWith"), STARTS_WITH("startsWith"), LOWER_ASCII("lowerAscii"), ORDER("<");

        final String display;

        Function(String display) {
            this.display = display;
        }
    }

    final Function function;
    final boolean member;
    final Type result;
    final Type[] parameters;

    Overload(Function function, boolean member, Type result, Type... parameters) {
        this.function = function;
        this.member = member;
        this.result = result;
        this.parameters = parameters;
    }

    private static final Map<Function, List<Overload>> BY_FUNCTION = new EnumMap<>(Function.class);

    static {
        for (Overload overload : values()) {
            BY_FUNCTION.computeIfAbsent(overload.function, f -> new ArrayList<>()).add(overload);
        }
        BY_FUNCTION.replaceAll((f, list) -> Collections.unmodifiableList(list));
    }

    static List<Overload> of(Function function) {
        return BY_FUNCTION.get(function);
    }
}
