package dev.toolguard.policy.expr;

import java.util.Locale;

/**
 * A static type, as CEL's checker sees it. {@code args} and {@code ctx} are {@code map(string, dyn)}, so
 * what is read from them is {@code dyn} and checked at run time. UINT, BYTES, TIMESTAMP and DURATION never
 * occur in values; they are here because CEL's overloads mention them, and which overloads match decides
 * whether an expression is accepted (a {@code null} literal, for instance, may stand for a timestamp).
 * PARAM is a type variable, bound by {@link TypeInference} as checking goes.
 *
 * @param first  the element of a list, the key of a map
 * @param second the value of a map
 * @param id     the identity of a type variable
 */
record Type(Kind kind, Type first, Type second, int id) {

    enum Kind { INT, UINT, DOUBLE, STRING, BYTES, BOOL, NULL, DYN, TIMESTAMP, DURATION, LIST, MAP, PARAM }

    static final Type INT = simple(Kind.INT);
    static final Type UINT = simple(Kind.UINT);
    static final Type DOUBLE = simple(Kind.DOUBLE);
    static final Type STRING = simple(Kind.STRING);
    static final Type BYTES = simple(Kind.BYTES);
    static final Type BOOL = simple(Kind.BOOL);
    static final Type NULL = simple(Kind.NULL);
    static final Type DYN = simple(Kind.DYN);
    static final Type TIMESTAMP = simple(Kind.TIMESTAMP);
    static final Type DURATION = simple(Kind.DURATION);
    static final Type JSON_OBJECT = map(STRING, DYN);

    /** The placeholders {@code A} and {@code B} of generic overload declarations. */
    static final Type A = new Type(Kind.PARAM, null, null, -1);
    static final Type B = new Type(Kind.PARAM, null, null, -2);

    private static Type simple(Kind kind) {
        return new Type(kind, null, null, 0);
    }

    static Type list(Type element) {
        return new Type(Kind.LIST, element, null, 0);
    }

    static Type map(Type key, Type value) {
        return new Type(Kind.MAP, key, value, 0);
    }

    static Type param(int id) {
        return new Type(Kind.PARAM, null, null, id);
    }

    boolean isDyn() {
        return kind == Kind.DYN;
    }

    boolean isParam() {
        return kind == Kind.PARAM;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LIST -> "list(" + first + ")";
            case MAP -> "map(" + first + ", " + second + ")";
            case PARAM -> "dyn";
            default -> kind.name().toLowerCase(Locale.ROOT);
        };
    }
}
