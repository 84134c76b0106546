package dev.toolguard.policy.expr;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.toolguard.policy.expr.Ast.Operator;
import dev.toolguard.policy.expr.Expression.ArgumentReference;
import dev.toolguard.policy.expr.Type.Kind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives every node its static type and rejects what CEL's type checker rejects: operators and functions
 * applied to literal types they have no overload for ({@code 'a' + 1}, {@code 1 == 1.0}, {@code size(1)}).
 * Whatever comes from {@code args} or {@code ctx} is {@code dyn} and passes, to be checked at run time.
 * Also compiles literal regular expressions, so a bad one is a compile problem.
 */
final class Checker {

    /** The result of checking: types and patterns by node, problems, and the arguments read. */
    record Checked(Ast root, Map<Ast, Type> types, Map<Ast, Pattern> patterns,
                   List<ExpressionProblem> problems, List<ArgumentReference> argumentReferences) {
        Type typeOf(Ast node) {
            Type type = types.get(node);
            return type == null ? Type.DYN : type;
        }
    }

    private record Signature(Type left, Type right, Type result) {
    }

    private static final List<Signature> ADD = List.of(
            new Signature(Type.INT, Type.INT, Type.INT),
            new Signature(Type.DOUBLE, Type.DOUBLE, Type.DOUBLE),
            new Signature(Type.STRING, Type.STRING, Type.STRING),
            new Signature(Type.TIMESTAMP, Type.DURATION, Type.TIMESTAMP),
            new Signature(Type.DURATION, Type.TIMESTAMP, Type.TIMESTAMP),
            new Signature(Type.DURATION, Type.DURATION, Type.DURATION));
    private static final List<Signature> SUBTRACT = List.of(
            new Signature(Type.INT, Type.INT, Type.INT),
            new Signature(Type.DOUBLE, Type.DOUBLE, Type.DOUBLE),
            new Signature(Type.TIMESTAMP, Type.TIMESTAMP, Type.DURATION),
            new Signature(Type.TIMESTAMP, Type.DURATION, Type.TIMESTAMP),
            new Signature(Type.DURATION, Type.DURATION, Type.DURATION));
    private static final List<Signature> MULTIPLY_DIVIDE = List.of(
            new Signature(Type.INT, Type.INT, Type.INT),
            new Signature(Type.DOUBLE, Type.DOUBLE, Type.DOUBLE));
    private static final List<Signature> MODULO = List.of(
            new Signature(Type.INT, Type.INT, Type.INT));
    private static final List<Signature> ORDER = List.of(
            new Signature(Type.BOOL, Type.BOOL, Type.BOOL),
            new Signature(Type.INT, Type.INT, Type.BOOL),
            new Signature(Type.DOUBLE, Type.DOUBLE, Type.BOOL),
            new Signature(Type.STRING, Type.STRING, Type.BOOL),
            new Signature(Type.INT, Type.DOUBLE, Type.BOOL),
            new Signature(Type.DOUBLE, Type.INT, Type.BOOL),
            new Signature(Type.TIMESTAMP, Type.TIMESTAMP, Type.BOOL),
            new Signature(Type.DURATION, Type.DURATION, Type.BOOL));

    private final Map<Ast, Type> types = new IdentityHashMap<>();
    private final Map<Ast, Pattern> patterns = new IdentityHashMap<>();
    private final List<ExpressionProblem> problems = new ArrayList<>();
    private final List<ArgumentReference> references = new ArrayList<>();
    private final Deque<Map.Entry<String, Type>> scope = new ArrayDeque<>();

    static Checked check(Ast root) {
        Checker checker = new Checker();
        checker.type(root);
        return new Checked(root, checker.types, checker.patterns, List.copyOf(checker.problems),
                List.copyOf(checker.references));
    }

    private Type type(Ast node) {
        Type type = compute(node);
        types.put(node, type);
        return type;
    }

    private Type compute(Ast node) {
        if (node instanceof Ast.Literal literal) {
            return literalType(literal.value());
        } else if (node instanceof Ast.Ident ident) {
            return identifier(ident);
        } else if (node instanceof Ast.Select select) {
            noteArgument(select.operand(), select.field());
            return select(select, type(select.operand()));
        } else if (node instanceof Ast.Has has) {
            types.put(has.select(), Type.DYN);
            noteArgument(has.select().operand(), has.select().field());
            select(has.select(), type(has.select().operand()));
            return Type.BOOL;
        } else if (node instanceof Ast.Index index) {
            if (index.index() instanceof Ast.Literal key && key.value() instanceof String name) {
                noteArgument(index.operand(), name);
            }
            return index(index, type(index.operand()), type(index.index()));
        } else if (node instanceof Ast.ListLiteral list) {
            Type element = Type.FREE;
            for (Ast e : list.elements()) {
                element = Type.join(element, type(e));
            }
            return Type.list(element);
        } else if (node instanceof Ast.Unary unary) {
            return unary(unary, type(unary.operand()));
        } else if (node instanceof Ast.Binary binary) {
            return binary(binary, type(binary.left()), type(binary.right()));
        } else if (node instanceof Ast.Conditional conditional) {
            Type condition = type(conditional.condition());
            Type whenTrue = type(conditional.whenTrue());
            Type whenFalse = type(conditional.whenFalse());
            Type result = Type.unify(whenTrue, whenFalse);
            if (!Type.BOOL.accepts(condition) || result == null) {
                return problem(conditional, "no matching overload for '?:' applied to ("
                        + condition + ", " + whenTrue + ", " + whenFalse + ")");
            }
            return result;
        } else if (node instanceof Ast.Call call) {
            return call(call);
        } else if (node instanceof Ast.Comprehension comprehension) {
            return comprehension(comprehension);
        }
        throw new IllegalStateException("unknown node " + node);
    }

    private static Type literalType(Object value) {
        if (value == null) {
            return Type.NULL;
        } else if (value instanceof Boolean) {
            return Type.BOOL;
        } else if (value instanceof Long) {
            return Type.INT;
        } else if (value instanceof Double) {
            return Type.DOUBLE;
        }
        return Type.STRING;
    }

    private Type identifier(Ast.Ident ident) {
        for (Map.Entry<String, Type> local : scope) {
            if (local.getKey().equals(ident.name())) {
                return local.getValue();
            }
        }
        return switch (ident.name()) {
            case "args", "ctx" -> Type.JSON_OBJECT;
            case "tool" -> Type.STRING;
            default -> problem(ident, "unknown variable '" + ident.name() + "' (an expression reads args, ctx and tool)");
        };
    }

    private void noteArgument(Ast operand, String name) {
        if (operand instanceof Ast.Ident ident && ident.name().equals("args") && !isLocal("args")) {
            references.add(new ArgumentReference(name, ident.column()));
        }
    }

    private boolean isLocal(String name) {
        for (Map.Entry<String, Type> local : scope) {
            if (local.getKey().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private Type select(Ast.Select select, Type operand) {
        if (operand.kind == Kind.MAP) {
            return operand.second;
        }
        if (operand.isDynamic()) {
            return Type.DYN;
        }
        return problem(select, "type '" + operand + "' does not support field selection");
    }

    private Type index(Ast.Index index, Type operand, Type key) {
        if (operand.kind == Kind.LIST && Type.INT.accepts(key)) {
            return operand.first.isDynamic() ? Type.DYN : operand.first;
        }
        if (operand.kind == Kind.MAP && operand.first.accepts(key)) {
            return operand.second;
        }
        if (operand.isDynamic()) {
            return Type.DYN;
        }
        return problem(index, "no matching overload for '[]' applied to (" + operand + ", " + key + ")");
    }

    private Type unary(Ast.Unary unary, Type operand) {
        if (unary.op() == Operator.NOT) {
            return Type.BOOL.accepts(operand) ? Type.BOOL : mismatch(unary, "!", operand);
        }
        if (operand.kind == Kind.INT || operand.kind == Kind.DOUBLE) {
            return operand;
        }
        return operand.isDynamic() ? Type.DYN : mismatch(unary, "-", operand);
    }

    private Type binary(Ast.Binary binary, Type left, Type right) {
        switch (binary.op()) {
            case AND, OR -> {
                return Type.BOOL.accepts(left) && Type.BOOL.accepts(right) ? Type.BOOL : mismatch(binary, left, right);
            }
            case EQUAL, NOT_EQUAL -> {
                return Type.unify(left, right) != null ? Type.BOOL : mismatch(binary, left, right);
            }
            case IN -> {
                boolean ok = switch (right.kind) {
                    case LIST, MAP -> Type.unify(left, right.first) != null;
                    case DYN, FREE -> true;
                    default -> false;
                };
                return ok ? Type.BOOL : mismatch(binary, left, right);
            }
            case ADD -> {
                return resolve(binary, ADD, left, right, listConcatenation(left, right));
            }
            case SUBTRACT -> {
                return resolve(binary, SUBTRACT, left, right, null);
            }
            case MULTIPLY, DIVIDE -> {
                return resolve(binary, MULTIPLY_DIVIDE, left, right, null);
            }
            case MODULO -> {
                return resolve(binary, MODULO, left, right, null);
            }
            default -> {
                return resolve(binary, ORDER, left, right, null);
            }
        }
    }

    /** The result of {@code list(A) + list(A)} when both sides can be lists of one type, else null. */
    private static Type listConcatenation(Type left, Type right) {
        boolean leftList = left.kind == Kind.LIST || left.isDynamic();
        boolean rightList = right.kind == Kind.LIST || right.isDynamic();
        if (!leftList || !rightList) {
            return null;
        }
        Type leftElement = left.kind == Kind.LIST ? left.first : Type.DYN;
        Type rightElement = right.kind == Kind.LIST ? right.first : Type.DYN;
        if (left.isDynamic() && right.kind == Kind.LIST) {
            leftElement = rightElement;
        } else if (right.isDynamic() && left.kind == Kind.LIST) {
            rightElement = leftElement;
        }
        Type element = Type.unify(leftElement, rightElement);
        return element == null ? null : Type.list(element);
    }

    private Type resolve(Ast.Binary binary, List<Signature> signatures, Type left, Type right, Type extra) {
        Type result = extra;
        boolean several = false;
        for (Signature signature : signatures) {
            if (signature.left().accepts(left) && signature.right().accepts(right)) {
                if (result == null) {
                    result = signature.result();
                } else if (!result.toString().equals(signature.result().toString())) {
                    several = true;
                }
            }
        }
        if (result == null) {
            return mismatch(binary, left, right);
        }
        return several ? Type.DYN : result;
    }

    private Type call(Ast.Call call) {
        List<Ast> arguments = call.arguments();
        List<Type> argumentTypes = new ArrayList<>(arguments.size());
        Type target = call.target() == null ? null : type(call.target());
        for (Ast argument : arguments) {
            argumentTypes.add(type(argument));
        }
        String function = call.function();
        if (call.target() == null) {
            return switch (function) {
                case "size" -> arguments.size() == 1 ? size(call, argumentTypes.get(0)) : arity(call, "size(x)");
                case "int" -> arguments.size() == 1
                        ? conversion(call, argumentTypes.get(0), Type.INT, Kind.INT, Kind.DOUBLE, Kind.STRING, Kind.NULL)
                        : arity(call, "int(x)");
                case "double" -> arguments.size() == 1
                        ? conversion(call, argumentTypes.get(0), Type.DOUBLE, Kind.DOUBLE, Kind.INT, Kind.STRING)
                        : arity(call, "double(x)");
                case "string" -> arguments.size() == 1
                        ? conversion(call, argumentTypes.get(0), Type.STRING,
                        Kind.STRING, Kind.INT, Kind.DOUBLE, Kind.BOOL, Kind.NULL)
                        : arity(call, "string(x)");
                case "matches" -> arguments.size() == 2
                        ? stringFunction(call, argumentTypes.get(0), argumentTypes.get(1), arguments.get(1), Type.BOOL)
                        : arity(call, "matches(text, pattern)");
                case "has" -> arity(call, "has(x.field)");
                default -> unknownFunction(call);
            };
        }
        return switch (function) {
            case "size" -> arguments.isEmpty() ? size(call, target) : arity(call, "x.size()");
            case "startsWith", "endsWith", "contains", "matches" -> arguments.size() == 1
                    ? stringFunction(call, target, argumentTypes.get(0), arguments.get(0), Type.BOOL)
                    : arity(call, "x." + function + "(s)");
            case "lowerAscii" -> arguments.isEmpty()
                    ? (Type.STRING.accepts(target) ? Type.STRING : problem(call,
                    "no matching overload for 'lowerAscii' on " + target))
                    : arity(call, "x.lowerAscii()");
            case "exists", "all" -> arity(call, "x." + function + "(v, predicate)");
            default -> unknownFunction(call);
        };
    }

    private Type size(Ast.Call call, Type operand) {
        return switch (operand.kind) {
            case STRING, LIST, MAP, DYN, FREE -> Type.INT;
            default -> problem(call, "no matching overload for 'size' applied to (" + operand + ")");
        };
    }

    private Type conversion(Ast.Call call, Type operand, Type result, Kind... accepted) {
        if (operand.isDynamic()) {
            return result;
        }
        for (Kind kind : accepted) {
            if (operand.kind == kind) {
                return result;
            }
        }
        return problem(call, "no matching overload for '" + call.function() + "' applied to (" + operand + ")");
    }

    private Type stringFunction(Ast.Call call, Type receiver, Type argument, Ast argumentNode, Type result) {
        if (!Type.STRING.accepts(receiver) || !Type.STRING.accepts(argument)) {
            return problem(call, "no matching overload for '" + call.function() + "' applied to ("
                    + receiver + ", " + argument + ")");
        }
        if (call.function().equals("matches") && argumentNode instanceof Ast.Literal literal
                && literal.value() instanceof String regex) {
            try {
                patterns.put(call, Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                return problem(argumentNode, "invalid regular expression: " + e.getMessage());
            } catch (RuntimeException e) {
                return problem(argumentNode, "invalid regular expression: " + e);
            }
        }
        return result;
    }

    private Type comprehension(Ast.Comprehension comprehension) {
        Type range = type(comprehension.range());
        Type variable = switch (range.kind) {
            case LIST, MAP -> range.first;
            case DYN, FREE -> Type.DYN;
            default -> null;
        };
        String name = comprehension.all() ? "all" : "exists";
        if (variable == null) {
            problem(comprehension.range(), "cannot iterate over " + range + ": " + name + "() needs a list or a map");
            variable = Type.DYN;
        }
        scope.push(Map.entry(comprehension.variable(), variable));
        Type predicate = type(comprehension.predicate());
        scope.pop();
        if (!Type.BOOL.accepts(predicate)) {
            return problem(comprehension.predicate(), "the predicate of " + name + "() must be a bool, not " + predicate);
        }
        return Type.BOOL;
    }

    private Type arity(Ast.Call call, String usage) {
        return problem(call, "wrong number of arguments to '" + call.function() + "': use " + usage);
    }

    private Type unknownFunction(Ast.Call call) {
        return problem(call, "unknown function '" + call.function() + "'");
    }

    private Type mismatch(Ast.Unary unary, String symbol, Type operand) {
        return problem(unary, "no matching overload for '" + symbol + "' applied to (" + operand + ")");
    }

    private Type mismatch(Ast.Binary binary, Type left, Type right) {
        return problem(binary, "no matching overload for '" + binary.op().symbol + "' applied to ("
                + left + ", " + right + ")");
    }

    /** Records a problem; the node is then taken as dyn so one mistake is reported once. */
    private Type problem(Ast node, String message) {
        problems.add(new ExpressionProblem(node.column(), message));
        return Type.DYN;
    }
}
