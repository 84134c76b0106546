package dev.toolguard.policy.expr;

/**
 * A static type, as far as checking needs one. {@code args} and {@code ctx} are {@code map(string, dyn)},
 * so anything read from them is {@code dyn} and checked at run time. TIMESTAMP and DURATION never occur
 * in values; they exist because CEL lets a {@code null} literal stand for them, which decides whether
 * expressions such as {@code string(null)} are accepted.
 */
final class Type {

    enum Kind { INT, DOUBLE, STRING, BOOL, NULL, LIST, MAP, DYN, FREE, TIMESTAMP, DURATION }

    static final Type INT = new Type(Kind.INT, null, null);
    static final Type DOUBLE = new Type(Kind.DOUBLE, null, null);
    static final Type STRING = new Type(Kind.STRING, null, null);
    static final Type BOOL = new Type(Kind.BOOL, null, null);
    static final Type NULL = new Type(Kind.NULL, null, null);
    static final Type DYN = new Type(Kind.DYN, null, null);
    /** The element type of {@code []}: not known yet, takes whatever it meets. */
    static final Type FREE = new Type(Kind.FREE, null, null);
    static final Type TIMESTAMP = new Type(Kind.TIMESTAMP, null, null);
    static final Type DURATION = new Type(Kind.DURATION, null, null);
    static final Type JSON_OBJECT = map(STRING, DYN);

    final Kind kind;
    /** Element of a list, key of a map. */
    final Type first;
    /** Value of a map. */
    final Type second;

    private Type(Kind kind, Type first, Type second) {
        this.kind = kind;
        this.first = first;
        this.second = second;
    }

    static Type list(Type element) {
        return new Type(Kind.LIST, element, null);
    }

    static Type map(Type key, Type value) {
        return new Type(Kind.MAP, key, value);
    }

    boolean isDynamic() {
        return kind == Kind.DYN || kind == Kind.FREE;
    }

    /** Whether a value of type {@code actual} may be passed where an overload declares this type. */
    boolean accepts(Type actual) {
        if (actual.isDynamic() || kind == Kind.DYN) {
            return true;
        }
        if ((kind == Kind.TIMESTAMP || kind == Kind.DURATION) && actual.kind == Kind.NULL) {
            return true;
        }
        if (kind != actual.kind) {
            return false;
        }
        return switch (kind) {
            case LIST -> first.accepts(actual.first);
            case MAP -> first.accepts(actual.first) && second.accepts(actual.second);
            default -> true;
        };
    }

    /**
     * The type both may be seen as, for CEL's {@code (A, A)} overloads ({@code ==}, {@code ?:}, list
     * {@code +}); {@code null} when they cannot be the same type.
     */
    static Type unify(Type a, Type b) {
        if (a.kind == Kind.DYN || b.kind == Kind.DYN) {
            return DYN;
        }
        if (a.kind == Kind.FREE) {
            return b;
        }
        if (b.kind == Kind.FREE) {
            return a;
        }
        if (a.kind != b.kind) {
            return null;
        }
        if (a.kind == Kind.LIST) {
            Type element = unify(a.first, b.first);
            return element == null ? null : list(element);
        }
        if (a.kind == Kind.MAP) {
            Type key = unify(a.first, b.first);
            Type value = unify(a.second, b.second);
            return key == null || value == null ? null : map(key, value);
        }
        return a;
    }

    /** The element type of a list literal holding both: like {@link #unify}, but mixed elements make it dyn. */
    static Type join(Type a, Type b) {
        Type joined = unify(a, b);
        return joined == null ? DYN : joined;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case LIST -> "list(" + (first.kind == Kind.FREE ? "dyn" : first) + ")";
            case MAP -> "map(" + first + ", " + second + ")";
            case FREE -> "dyn";
            case NULL -> "null";
            default -> kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
