package dev.toolguard.policy.expr;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.toolguard.policy.expr.Node.Activation;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The node kinds of the tree evaluator, one small class per operation. */
final class Nodes {

    private Nodes() {
    }

    // ---- values and variables ----

    static final class Const extends Node {
        final Object value;

        Const(Object value) {
            this.value = value;
        }

        @Override
        Object eval(Activation a) {
            return value;
        }
    }

    static final class Args extends Node {
        @Override
        Object eval(Activation a) {
            return a.args;
        }
    }

    static final class Ctx extends Node {
        @Override
        Object eval(Activation a) {
            return a.ctx;
        }
    }

    static final class Tool extends Node {
        @Override
        Object eval(Activation a) {
            return a.tool;
        }
    }

    static final class Local extends Node {
        final int slot;

        Local(int slot) {
            this.slot = slot;
        }

        @Override
        Object eval(Activation a) {
            return a.locals[slot];
        }
    }

    // ---- access ----

    static Object field(Object container, String field) {
        if (container instanceof Map<?, ?> map) {
            Object value = map.get(field);
            if (value == null && !map.containsKey(field)) {
                return new EvalError("no such key: " + field);
            }
            return Values.normalize(value);
        }
        if (container instanceof EvalError) {
            return container;
        }
        return new EvalError("cannot select field '" + field + "' on " + Values.typeName(container));
    }

    static final class Select extends Node {
        final Node operand;
        final String field;

        Select(Node operand, String field) {
            this.operand = operand;
            this.field = field;
        }

        @Override
        Object eval(Activation a) {
            return field(operand.eval(a), field);
        }
    }

    /** {@code args.x}: the most common read, one virtual call less. */
    static final class ArgsField extends Node {
        final String field;

        ArgsField(String field) {
            this.field = field;
        }

        @Override
        Object eval(Activation a) {
            return field(a.args, field);
        }
    }

    /** {@code ctx.x}. */
    static final class CtxField extends Node {
        final String field;

        CtxField(String field) {
            this.field = field;
        }

        @Override
        Object eval(Activation a) {
            return field(a.ctx, field);
        }
    }

    static final class Has extends Node {
        final Node operand;
        final String field;

        Has(Node operand, String field) {
            this.operand = operand;
            this.field = field;
        }

        @Override
        Object eval(Activation a) {
            Object container = operand.eval(a);
            if (container instanceof Map<?, ?> map) {
                return map.containsKey(field);
            }
            if (container instanceof EvalError) {
                return container;
            }
            return new EvalError("cannot test field '" + field + "' on " + Values.typeName(container));
        }
    }

    static final class Index extends Node {
        final Node operand;
        final Node index;
        final boolean listAllowed;
        final boolean mapAllowed;

        Index(Node operand, Node index, boolean listAllowed, boolean mapAllowed) {
            this.operand = operand;
            this.index = index;
            this.listAllowed = listAllowed;
            this.mapAllowed = mapAllowed;
        }

        @Override
        Object eval(Activation a) {
            Object container = operand.eval(a);
            if (container instanceof EvalError) {
                return container;
            }
            Object key = Values.approximate(index.eval(a));
            if (key instanceof EvalError) {
                return key;
            }
            if (container instanceof List<?> list && listAllowed) {
                long i;
                if (key instanceof Long l) {
                    i = l;
                } else if (key instanceof Double d) {
                    if (d != Math.rint(d) || Double.isInfinite(d)) {
                        return new EvalError("index out of range: " + d);
                    }
                    i = (long) d.doubleValue();
                } else {
                    return new EvalError("a list index must be an int, not " + Values.typeName(key));
                }
                if (i < 0 || i >= list.size()) {
                    return new EvalError("index out of range: " + i);
                }
                return Values.normalize(list.get((int) i));
            }
            if (container instanceof Map<?, ?> map && mapAllowed) {
                Object value = Values.lookup(map, key);
                if (value == Values.ABSENT) {
                    return new EvalError("no such key: " + (key instanceof String s ? s : Values.show(key)));
                }
                return Values.normalize(value);
            }
            return Values.mismatch("[]", container, key);
        }
    }

    static final class ListLiteral extends Node {
        final Node[] elements;

        ListLiteral(Node[] elements) {
            this.elements = elements;
        }

        @Override
        Object eval(Activation a) {
            Object[] values = new Object[elements.length];
            for (int i = 0; i < elements.length; i++) {
                Object value = elements[i].eval(a);
                if (value instanceof EvalError) {
                    return value;
                }
                values[i] = value;
            }
            return Collections.unmodifiableList(Arrays.asList(values));
        }
    }

    // ---- logic ----

    static final class Not extends Node {
        final Node operand;

        Not(Node operand) {
            this.operand = operand;
        }

        @Override
        Object eval(Activation a) {
            Object value = operand.eval(a);
            if (value instanceof Boolean b) {
                return !b;
            }
            return value instanceof EvalError ? value : Values.notBool("!", value);
        }
    }

    /**
     * {@code &&}: false wins over an error on either side, as in CEL. A side that is neither a bool nor an
     * error is an error at once, as in the CEL reference runtime for Java.
     */
    static final class And extends Node {
        final Node left;
        final Node right;

        And(Node left, Node right) {
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Activation a) {
            return and(left.eval(a), right, a);
        }
    }

    static Object and(Object l, Node right, Activation a) {
        if (l == Boolean.FALSE) {
            return l;
        }
        if (!(l instanceof Boolean) && !(l instanceof EvalError)) {
            return Values.notBool("&&", l);
        }
        Object r = right.eval(a);
        if (r instanceof Boolean b) {
            return b ? l : r;
        }
        if (r instanceof EvalError) {
            return l instanceof EvalError ? l : r;
        }
        return Values.notBool("&&", r);
    }

    /** {@code ||}: true wins over an error on either side. */
    static final class Or extends Node {
        final Node left;
        final Node right;

        Or(Node left, Node right) {
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Activation a) {
            return or(left.eval(a), right, a);
        }
    }

    static Object or(Object l, Node right, Activation a) {
        if (l == Boolean.TRUE) {
            return l;
        }
        if (!(l instanceof Boolean) && !(l instanceof EvalError)) {
            return Values.notBool("||", l);
        }
        Object r = right.eval(a);
        if (r instanceof Boolean b) {
            return b ? r : l;
        }
        if (r instanceof EvalError) {
            return l instanceof EvalError ? l : r;
        }
        return Values.notBool("||", r);
    }

    static final class Conditional extends Node {
        final Node condition;
        final Node whenTrue;
        final Node whenFalse;

        Conditional(Node condition, Node whenTrue, Node whenFalse) {
            this.condition = condition;
            this.whenTrue = whenTrue;
            this.whenFalse = whenFalse;
        }

        @Override
        Object eval(Activation a) {
            Object c = condition.eval(a);
            if (c instanceof Boolean b) {
                return b ? whenTrue.eval(a) : whenFalse.eval(a);
            }
            return c instanceof EvalError ? c : Values.notBool("?:", c);
        }
    }

    /** {@code range.exists(v, p)} / {@code range.all(v, p)}; a map is iterated over its keys. */
    static final class Comprehension extends Node {
        final Node range;
        final int slot;
        final Node predicate;
        final boolean all;

        Comprehension(Node range, int slot, Node predicate, boolean all) {
            this.range = range;
            this.slot = slot;
            this.predicate = predicate;
            this.all = all;
        }

        @Override
        Object eval(Activation a) {
            Object r = range.eval(a);
            Iterable<?> items;
            if (r instanceof List<?> list) {
                items = list;
            } else if (r instanceof Map<?, ?> map) {
                items = map.keySet();
            } else if (r instanceof EvalError) {
                return r;
            } else {
                return new EvalError("cannot iterate over " + Values.typeName(r) + ": "
                        + (all ? "all" : "exists") + "() needs a list or a map");
            }
            // the accumulator runs like CEL's expansion: exists is `acc || p`, all is `acc && p`
            Object accumulator = all ? Boolean.TRUE : Boolean.FALSE;
            Object decided = all ? Boolean.FALSE : Boolean.TRUE;
            for (Object item : items) {
                a.locals[slot] = Values.normalize(item);
                accumulator = all ? and(accumulator, predicate, a) : or(accumulator, predicate, a);
                if (accumulator == decided) {
                    break;
                }
            }
            a.locals[slot] = null;
            return accumulator;
        }
    }

    // ---- arithmetic ----

    static final class Negate extends Node {
        final Node operand;
        final boolean intAllowed;
        final boolean doubleAllowed;

        Negate(Node operand, boolean intAllowed, boolean doubleAllowed) {
            this.operand = operand;
            this.intAllowed = intAllowed;
            this.doubleAllowed = doubleAllowed;
        }

        @Override
        Object eval(Activation a) {
            Object value = Values.approximate(operand.eval(a));
            if (value instanceof Long l && intAllowed) {
                return l == Long.MIN_VALUE ? overflow("-") : (Object) (-l);
            }
            if (value instanceof Double d && doubleAllowed) {
                return -d;
            }
            return value instanceof EvalError ? value : Values.mismatch("-", value);
        }
    }

    enum ArithmeticOp { ADD, SUBTRACT, MULTIPLY, DIVIDE, MODULO }

    static final class Arithmetic extends Node {
        final ArithmeticOp op;
        final String symbol;
        final Node left;
        final Node right;
        final boolean intAllowed;
        final boolean doubleAllowed;
        final boolean stringAllowed;
        final boolean listAllowed;

        Arithmetic(ArithmeticOp op, String symbol, Node left, Node right,
                   boolean intAllowed, boolean doubleAllowed, boolean stringAllowed, boolean listAllowed) {
            this.op = op;
            this.symbol = symbol;
            this.left = left;
            this.right = right;
            this.intAllowed = intAllowed;
            this.doubleAllowed = doubleAllowed;
            this.stringAllowed = stringAllowed;
            this.listAllowed = listAllowed;
        }

        @Override
        Object eval(Activation a) {
            // exact decimals are exact in comparisons only; arithmetic is double arithmetic, as for any double
            Object l = Values.approximate(left.eval(a));
            if (l instanceof EvalError) {
                return l;
            }
            Object r = Values.approximate(right.eval(a));
            if (r instanceof EvalError) {
                return r;
            }
            if (l instanceof Long x && r instanceof Long y && intAllowed) {
                return integer(x, y);
            }
            if (l instanceof Double x && r instanceof Double y && doubleAllowed && op != ArithmeticOp.MODULO) {
                return switch (op) {
                    case ADD -> x + y;
                    case SUBTRACT -> x - y;
                    case MULTIPLY -> x * y;
                    default -> x / y;
                };
            }
            if (op == ArithmeticOp.ADD) {
                if (l instanceof String x && r instanceof String y && stringAllowed) {
                    return x.concat(y);
                }
                if (l instanceof List<?> x && r instanceof List<?> y && listAllowed) {
                    Object[] joined = new Object[x.size() + y.size()];
                    int i = 0;
                    for (Object item : x) {
                        joined[i++] = item;
                    }
                    for (Object item : y) {
                        joined[i++] = item;
                    }
                    return Collections.unmodifiableList(Arrays.asList(joined));
                }
            }
            return Values.mismatch(symbol, l, r);
        }

        private Object integer(long x, long y) {
            switch (op) {
                case ADD: {
                    long sum = x + y;
                    return ((x ^ sum) & (y ^ sum)) < 0 ? overflow("+") : (Object) sum;
                }
                case SUBTRACT: {
                    long difference = x - y;
                    return ((x ^ y) & (x ^ difference)) < 0 ? overflow("-") : (Object) difference;
                }
                case MULTIPLY: {
                    long high = Math.multiplyHigh(x, y);
                    long product = x * y;
                    return (high == 0 && product >= 0) || (high == -1 && product < 0) ? (Object) product : overflow("*");
                }
                case DIVIDE:
                    if (y == 0) {
                        return new EvalError("division by zero");
                    }
                    return x == Long.MIN_VALUE && y == -1 ? overflow("/") : (Object) (x / y);
                default:
                    if (y == 0) {
                        return new EvalError("modulus by zero");
                    }
                    return y == -1 ? (Object) 0L : (Object) (x % y);
            }
        }
    }

    static EvalError overflow(String operator) {
        return new EvalError("integer overflow in '" + operator + "'");
    }

    // ---- comparison ----

    enum Order { LESS, LESS_EQUAL, GREATER, GREATER_EQUAL }

    static boolean holds(Order order, int comparison) {
        return switch (order) {
            case LESS -> comparison < 0;
            case LESS_EQUAL -> comparison <= 0;
            case GREATER -> comparison > 0;
            case GREATER_EQUAL -> comparison >= 0;
        };
    }

    static boolean holds(Order order, double x, double y) {
        return switch (order) {
            case LESS -> x < y;
            case LESS_EQUAL -> x <= y;
            case GREATER -> x > y;
            case GREATER_EQUAL -> x >= y;
        };
    }

    /** Which orderings checking left possible: CEL runs only the overloads that matched. */
    record Orderings(boolean bools, boolean ints, boolean doubles, boolean strings, boolean intDouble,
                     boolean doubleInt) {
    }

    static Object compare(Order order, String symbol, Orderings allowed, Object l, Object r) {
        if ((l instanceof BigDecimal || r instanceof BigDecimal) && Values.exactlyComparable(l, r)) {
            // an exact decimal is a double to the type rules: the overloads allowed are the double ones
            boolean typesAllowed = l instanceof BigDecimal
                    ? (r instanceof Long ? allowed.doubleInt() : allowed.doubles())
                    : (l instanceof Long ? allowed.intDouble() : allowed.doubles());
            if (typesAllowed) {
                int exact = Values.compareExactly(l, r);
                return exact == Values.UNORDERED ? Boolean.FALSE : (Object) holds(order, exact);
            }
        }
        if (l instanceof Long x) {
            if (r instanceof Long y && allowed.ints()) {
                return holds(order, Long.compare(x, y));
            }
            if (r instanceof Double y && allowed.intDouble()) {
                // int against double compares as CEL for Java does: the int as a double, total order
                return holds(order, Double.compare(x.doubleValue(), y));
            }
        } else if (l instanceof Double x) {
            if (r instanceof Double y && allowed.doubles()) {
                return holds(order, x.doubleValue(), y.doubleValue());
            }
            if (r instanceof Long y && allowed.doubleInt()) {
                return holds(order, Double.compare(x, y.doubleValue()));
            }
        } else if (l instanceof String x && r instanceof String y && allowed.strings()) {
            return holds(order, x.compareTo(y));
        } else if (l instanceof Boolean x && r instanceof Boolean y && allowed.bools()) {
            return holds(order, Boolean.compare(x, y));
        }
        if (l instanceof EvalError) {
            return l;
        }
        return r instanceof EvalError ? r : Values.mismatch(symbol, l, r);
    }

    static final class Compare extends Node {
        final Order order;
        final String symbol;
        final Orderings allowed;
        final Node left;
        final Node right;

        Compare(Order order, String symbol, Orderings allowed, Node left, Node right) {
            this.order = order;
            this.symbol = symbol;
            this.allowed = allowed;
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(Activation a) {
            Object l = left.eval(a);
            if (l instanceof EvalError) {
                return l;
            }
            return compare(order, symbol, allowed, l, right.eval(a));
        }
    }

    /** {@code x <= 200}: a comparison against an int literal, without boxing the literal each time. */
    static final class CompareToInt extends Node {
        final Order order;
        final String symbol;
        final Orderings allowed;
        final Node left;
        final long bound;
        final Long boxed;

        CompareToInt(Order order, String symbol, Orderings allowed, Node left, long bound) {
            this.order = order;
            this.symbol = symbol;
            this.allowed = allowed;
            this.left = left;
            this.bound = bound;
            this.boxed = bound;
        }

        @Override
        Object eval(Activation a) {
            Object l = left.eval(a);
            if (l instanceof Long x && allowed.ints()) {
                return holds(order, Long.compare(x, bound));
            }
            if (l instanceof Double x && allowed.doubleInt()) {
                return holds(order, Double.compare(x, (double) bound));
            }
            return compare(order, symbol, allowed, l, boxed);
        }
    }

    static final class Equal extends Node {
        final Node left;
        final Node right;
        final boolean negated;

        Equal(Node left, Node right, boolean negated) {
            this.left = left;
            this.right = right;
            this.negated = negated;
        }

        @Override
        Object eval(Activation a) {
            Object l = left.eval(a);
            if (l instanceof EvalError) {
                return l;
            }
            Object r = right.eval(a);
            if (r instanceof EvalError) {
                return r;
            }
            return Values.equal(l, r) != negated;
        }
    }

    static final class In extends Node {
        final Node element;
        final Node container;
        final boolean listAllowed;
        final boolean mapAllowed;

        In(Node element, Node container, boolean listAllowed, boolean mapAllowed) {
            this.element = element;
            this.container = container;
            this.listAllowed = listAllowed;
            this.mapAllowed = mapAllowed;
        }

        @Override
        Object eval(Activation a) {
            Object e = element.eval(a);
            if (e instanceof EvalError) {
                return e;
            }
            Object c = container.eval(a);
            if (c instanceof EvalError) {
                return c;
            }
            if ((c instanceof List && !listAllowed) || (c instanceof Map && !mapAllowed)) {
                return Values.mismatch("in", e, c);
            }
            return Values.contains(c, e);
        }
    }

    /** {@code 'support_l1' in ctx.user.roles}: a string literal looked up without the general equality. */
    static final class StringIn extends Node {
        final String element;
        final Node container;
        final boolean listAllowed;
        final boolean mapAllowed;

        StringIn(String element, Node container, boolean listAllowed, boolean mapAllowed) {
            this.element = element;
            this.container = container;
            this.listAllowed = listAllowed;
            this.mapAllowed = mapAllowed;
        }

        @Override
        Object eval(Activation a) {
            Object c = container.eval(a);
            if (c instanceof List<?> list && listAllowed) {
                for (int i = 0, n = list.size(); i < n; i++) {
                    if (element.equals(list.get(i))) {
                        return Boolean.TRUE;
                    }
                }
                return Boolean.FALSE;
            }
            if (c instanceof Map<?, ?> map && mapAllowed) {
                return map.containsKey(element);
            }
            return c instanceof EvalError ? c : Values.mismatch("in", element, c);
        }
    }

    // ---- functions ----

    static final class Size extends Node {
        final Node operand;
        final boolean stringAllowed;
        final boolean listAllowed;
        final boolean mapAllowed;

        Size(Node operand, boolean stringAllowed, boolean listAllowed, boolean mapAllowed) {
            this.operand = operand;
            this.stringAllowed = stringAllowed;
            this.listAllowed = listAllowed;
            this.mapAllowed = mapAllowed;
        }

        @Override
        Object eval(Activation a) {
            Object value = operand.eval(a);
            if (value instanceof String s && stringAllowed) {
                return (long) s.codePointCount(0, s.length());
            }
            if (value instanceof List<?> l && listAllowed) {
                return (long) l.size();
            }
            if (value instanceof Map<?, ?> m && mapAllowed) {
                return (long) m.size();
            }
            return value instanceof EvalError ? value : Values.mismatch("size", value);
        }
    }

    enum TextTest { STARTS_WITH, ENDS_WITH, CONTAINS }

    static final class StringTest extends Node {
        final TextTest test;
        final String name;
        final Node receiver;
        final Node argument;

        StringTest(TextTest test, String name, Node receiver, Node argument) {
            this.test = test;
            this.name = name;
            this.receiver = receiver;
            this.argument = argument;
        }

        @Override
        Object eval(Activation a) {
            Object s = receiver.eval(a);
            if (s instanceof EvalError) {
                return s;
            }
            Object t = argument.eval(a);
            if (t instanceof EvalError) {
                return t;
            }
            if (s instanceof String x && t instanceof String y) {
                return switch (test) {
                    case STARTS_WITH -> x.startsWith(y);
                    case ENDS_WITH -> x.endsWith(y);
                    case CONTAINS -> x.contains(y);
                };
            }
            return Values.mismatch(name, s, t);
        }
    }

    /** {@code matches} with a literal pattern, compiled once when the expression is. */
    static final class MatchesLiteral extends Node {
        final Node receiver;
        final Pattern pattern;
        /** Text every match contains, or null: its absence answers false without running the matcher. */
        final RequiredLiteral required;

        MatchesLiteral(Node receiver, Pattern pattern) {
            this.receiver = receiver;
            this.pattern = pattern;
            this.required = RequiredLiteral.of(pattern.pattern());
        }

        @Override
        Object eval(Activation a) {
            Object s = receiver.eval(a);
            if (s instanceof String x) {
                if (required != null && !required.mayMatch(x)) {
                    return Boolean.FALSE;
                }
                return pattern.matcher(x).find();
            }
            return s instanceof EvalError ? s : Values.mismatch("matches", s);
        }
    }

    /** {@code matches} with a pattern computed at run time; a bad one is an error value. */
    static final class MatchesDynamic extends Node {
        final Node receiver;
        final Node pattern;

        MatchesDynamic(Node receiver, Node pattern) {
            this.receiver = receiver;
            this.pattern = pattern;
        }

        @Override
        Object eval(Activation a) {
            Object s = receiver.eval(a);
            if (s instanceof EvalError) {
                return s;
            }
            Object p = pattern.eval(a);
            if (p instanceof EvalError) {
                return p;
            }
            if (!(s instanceof String x) || !(p instanceof String regex)) {
                return Values.mismatch("matches", s, p);
            }
            try {
                return Pattern.compile(regex).matcher(x).find();
            } catch (PatternSyntaxException e) {
                return new EvalError("invalid regular expression: " + e.getMessage());
            }
        }
    }

    static final class LowerAscii extends Node {
        final Node receiver;

        LowerAscii(Node receiver) {
            this.receiver = receiver;
        }

        @Override
        Object eval(Activation a) {
            Object s = receiver.eval(a);
            if (s instanceof String x) {
                char[] chars = null;
                for (int i = 0; i < x.length(); i++) {
                    char c = x.charAt(i);
                    if (c >= 'A' && c <= 'Z') {
                        if (chars == null) {
                            chars = x.toCharArray();
                        }
                        chars[i] = (char) (c + ('a' - 'A'));
                    }
                }
                return chars == null ? x : new String(chars);
            }
            return s instanceof EvalError ? s : Values.mismatch("lowerAscii", s);
        }
    }

    /** Which conversions checking left possible. */
    record Conversions(boolean fromInt, boolean fromDouble, boolean fromString, boolean fromBool) {
    }

    static final class ToInt extends Node {
        final Node operand;
        final Conversions allowed;

        ToInt(Node operand, Conversions allowed) {
            this.operand = operand;
            this.allowed = allowed;
        }

        @Override
        Object eval(Activation a) {
            Object value = Values.approximate(operand.eval(a));
            if (value instanceof Long && allowed.fromInt()) {
                return value;
            }
            if (value instanceof Double d && allowed.fromDouble()) {
                // strictly inside int64: both -2^63 and 2^63 are out of range, as in CEL
                if (!(d > -0x1p63 && d < 0x1p63)) {
                    return new EvalError("double out of int range: " + d);
                }
                return (long) d.doubleValue();
            }
            if (value instanceof String s && allowed.fromString()) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    return new EvalError("cannot convert " + Values.show(s) + " to int");
                }
            }
            return value instanceof EvalError ? value : Values.mismatch("int", value);
        }
    }

    static final class ToDouble extends Node {
        final Node operand;
        final Conversions allowed;

        ToDouble(Node operand, Conversions allowed) {
            this.operand = operand;
            this.allowed = allowed;
        }

        @Override
        Object eval(Activation a) {
            Object value = Values.approximate(operand.eval(a));
            if (value instanceof Double && allowed.fromDouble()) {
                return value;
            }
            if (value instanceof Long l && allowed.fromInt()) {
                return l.doubleValue();
            }
            if (value instanceof String s && allowed.fromString()) {
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return new EvalError("cannot convert " + Values.show(s) + " to double");
                }
            }
            return value instanceof EvalError ? value : Values.mismatch("double", value);
        }
    }

    static final class ToText extends Node {
        final Node operand;
        final Conversions allowed;

        ToText(Node operand, Conversions allowed) {
            this.operand = operand;
            this.allowed = allowed;
        }

        @Override
        Object eval(Activation a) {
            Object value = Values.approximate(operand.eval(a));
            if ((value instanceof String && allowed.fromString()) || (value instanceof Long && allowed.fromInt())
                    || (value instanceof Double && allowed.fromDouble())
                    || (value instanceof Boolean && allowed.fromBool())) {
                return value.toString();
            }
            return value instanceof EvalError ? value : Values.mismatch("string", value);
        }
    }
}
