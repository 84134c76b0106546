package dev.toolguard.policy.expr;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Type variables and their bindings while one expression is checked, with CEL's rules of assignability:
 * {@code dyn} goes anywhere, a {@code null} only where a timestamp or duration may be, and a free type
 * variable takes the first type it is asked to be. Following CEL exactly matters: which overloads match
 * here decides both what compiles and which operations may run.
 */
final class TypeInference {

    private Map<Type, Type> bindings = new HashMap<>();
    private int counter;

    Type fresh() {
        return Type.param(++counter);
    }

    /** {@code type} with the placeholders A and B replaced by fresh variables (the same ones throughout). */
    Type[] instantiate(Type... types) {
        Type a = null;
        Type b = null;
        Type[] result = new Type[types.length];
        for (int i = 0; i < types.length; i++) {
            if (mentions(types[i], Type.A) && a == null) {
                a = fresh();
            }
            if (mentions(types[i], Type.B) && b == null) {
                b = fresh();
            }
        }
        for (int i = 0; i < types.length; i++) {
            result[i] = replace(types[i], a, b);
        }
        return result;
    }

    private static boolean mentions(Type type, Type param) {
        if (type == null) {
            return false;
        }
        return type.equals(param) || mentions(type.first(), param) || mentions(type.second(), param);
    }

    private static Type replace(Type type, Type a, Type b) {
        return switch (type.kind()) {
            case PARAM -> type.equals(Type.A) ? a : type.equals(Type.B) ? b : type;
            case LIST -> Type.list(replace(type.first(), a, b));
            case MAP -> Type.map(replace(type.first(), a, b), replace(type.second(), a, b));
            default -> type;
        };
    }

    /** Whether a value of {@code actual} may go where {@code expected} is declared; binds variables if so. */
    boolean assignable(Type actual, Type expected) {
        Map<Type, Type> attempt = new HashMap<>(bindings);
        if (assignable(attempt, actual, expected)) {
            bindings = attempt;
            return true;
        }
        return false;
    }

    boolean assignable(List<Type> actual, List<Type> expected) {
        if (actual.size() != expected.size()) {
            return false;
        }
        Map<Type, Type> attempt = new HashMap<>(bindings);
        for (int i = 0; i < actual.size(); i++) {
            if (!assignable(attempt, actual.get(i), expected.get(i))) {
                return false;
            }
        }
        bindings = attempt;
        return true;
    }

    /** {@code type} with every bound variable replaced by its binding. */
    Type specialize(Type type) {
        return substitute(type, false);
    }

    /** Like {@link #specialize}, and any variable still free becomes dyn. */
    Type resolve(Type type) {
        return substitute(type, true);
    }

    private Type substitute(Type type, boolean freeToDyn) {
        Type bound = bindings.get(type);
        if (bound != null) {
            return substitute(bound, freeToDyn);
        }
        return switch (type.kind()) {
            case PARAM -> freeToDyn ? Type.DYN : type;
            case LIST -> Type.list(substitute(type.first(), freeToDyn));
            case MAP -> Type.map(substitute(type.first(), freeToDyn), substitute(type.second(), freeToDyn));
            default -> type;
        };
    }

    private static boolean assignable(Map<Type, Type> subs, Type actual, Type expected) {
        if (actual.equals(expected)) {
            return true;
        }
        if (expected.isParam()) {
            Type bound = subs.get(expected);
            if (bound != null) {
                if (!assignable(subs, actual, bound)) {
                    return false;
                }
                Type general = mostGeneral(actual, bound);
                if (notReferencedIn(subs, expected, general)) {
                    subs.put(expected, general);
                }
                return true;
            }
            if (notReferencedIn(subs, expected, actual)) {
                subs.put(expected, actual);
                return true;
            }
        }
        if (actual.isParam()) {
            Type bound = subs.get(actual);
            if (bound != null) {
                if (!assignable(subs, bound, expected)) {
                    return false;
                }
                Type general = mostGeneral(bound, expected);
                if (notReferencedIn(subs, actual, general)) {
                    subs.put(actual, general);
                }
                return true;
            }
            if (notReferencedIn(subs, actual, expected)) {
                subs.put(actual, expected);
                return true;
            }
        }
        if (actual.isDyn() || expected.isDyn()) {
            return true;
        }
        if (actual.kind() == Type.Kind.NULL) {
            return acceptsNull(expected);
        }
        if (expected.kind() == Type.Kind.NULL) {
            return acceptsNull(actual);
        }
        if (actual.kind() != expected.kind()) {
            return false;
        }
        return switch (actual.kind()) {
            case LIST -> assignable(subs, actual.first(), expected.first());
            case MAP -> assignable(subs, actual.first(), expected.first())
                    && assignable(subs, actual.second(), expected.second());
            default -> true;
        };
    }

    private static boolean acceptsNull(Type type) {
        return type.kind() == Type.Kind.TIMESTAMP || type.kind() == Type.Kind.DURATION
                || type.kind() == Type.Kind.NULL;
    }

    /** Of two types known to unify, the one that says less: dyn and variables over anything concrete. */
    static Type mostGeneral(Type a, Type b) {
        return isEqualOrLessSpecific(a, b) ? a : b;
    }

    private static boolean isEqualOrLessSpecific(Type a, Type b) {
        if (a.isDyn() || a.isParam()) {
            return true;
        }
        if (b.isDyn() || b.isParam()) {
            return false;
        }
        if (a.kind() != b.kind()) {
            return false;
        }
        return switch (a.kind()) {
            case LIST -> isEqualOrLessSpecific(a.first(), b.first());
            case MAP -> isEqualOrLessSpecific(a.first(), b.first()) && isEqualOrLessSpecific(a.second(), b.second());
            default -> a.equals(b);
        };
    }

    /** The occurs check: binding {@code param} to {@code within} must not make a type contain itself. */
    private static boolean notReferencedIn(Map<Type, Type> subs, Type param, Type within) {
        if (param.equals(within)) {
            return false;
        }
        return switch (within.kind()) {
            case PARAM -> !subs.containsKey(within) || notReferencedIn(subs, param, subs.get(within));
            case LIST -> notReferencedIn(subs, param, within.first());
            case MAP -> notReferencedIn(subs, param, within.first()) && notReferencedIn(subs, param, within.second());
            default -> true;
        };
    }
}
