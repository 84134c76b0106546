package dev.toolguard.policy.expr;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.toolguard.policy.expr.Ast.Operator;
import dev.toolguard.policy.expr.Expression.ArgumentReference;
import dev.toolguard.policy.expr.Overload.Function;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Types every node the way CEL's checker does and rejects what it rejects: an operator or function applied
 * to types none of its overloads accepts ({@code 'a' + 1}, {@code 1 == 1.0}, {@code size(1)}). What comes
 * from {@code args} or {@code ctx} is {@code dyn} and passes, to be checked at run time against the
 * overloads that matched here. Literal regular expressions are compiled here, so a bad one is a problem.
 */
final class Checker {

    /** The result of checking: types, matched overloads and patterns by node, problems, arguments read. */
    record Checked(Ast root, Map<Ast, Type> types, Map<Ast, Set<Overload>> overloads, Map<Ast, Pattern> patterns,
                   List<ExpressionProblem> problems, List<ArgumentReference> argumentReferences) {

        /** The overloads an operation may run; all of its function's when checking did not record any. */
        Set<Overload> overloadsOf(Ast node, Function function) {
            Set<Overload> matched = overloads.get(node);
            return matched != null ? matched : EnumSet.copyOf(Overload.of(function));
        }
    }

    private final TypeInference inference = new TypeInference();
    private final Map<Ast, Type> types = new IdentityHashMap<>();
    private final Map<Ast, Set<Overload>> overloads = new IdentityHashMap<>();
    private final Map<Ast, Pattern> patterns = new IdentityHashMap<>();
    private final List<ExpressionProblem> problems = new ArrayList<>();
    private final List<ArgumentReference> references = new ArrayList<>();
    private final Deque<Map.Entry<String, Type>> scope = new ArrayDeque<>();

    static Checked check(Ast root) {
        Checker checker = new Checker();
        checker.type(root);
        checker.types.replaceAll((node, type) -> checker.inference.resolve(type));
        return new Checked(root, checker.types, checker.overloads, checker.patterns,
                List.copyOf(checker.problems), List.copyOf(checker.references));
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
            return selectField(select, type(select.operand()));
        } else if (node instanceof Ast.Has has) {
            noteArgument(has.select().operand(), has.select().field());
            types.put(has.select(), Type.BOOL);
            selectField(has.select(), type(has.select().operand()));
            return Type.BOOL;
        } else if (node instanceof Ast.Index index) {
            if (index.index() instanceof Ast.Literal key && key.value() instanceof String name) {
                noteArgument(index.operand(), name);
            }
            Type operand = type(index.operand());
            Type key = type(index.index());
            return resolve(index, Function.INDEX, false, List.of(operand, key));
        } else if (node instanceof Ast.ListLiteral list) {
            return listLiteral(list);
        } else if (node instanceof Ast.Unary unary) {
            Type operand = type(unary.operand());
            return resolve(unary, unary.op() == Operator.NOT ? Function.NOT : Function.NEGATE, false, List.of(operand));
        } else if (node instanceof Ast.Binary binary) {
            Type left = type(binary.left());
            Type right = type(binary.right());
            return resolve(binary, function(binary.op()), false, List.of(left, right));
        } else if (node instanceof Ast.Conditional c) {
            Type condition = type(c.condition());
            Type whenTrue = type(c.whenTrue());
            Type whenFalse = type(c.whenFalse());
            return resolve(c, Function.CONDITIONAL, false, List.of(condition, whenTrue, whenFalse));
        } else if (node instanceof Ast.Call call) {
            return call(call);
        } else if (node instanceof Ast.Comprehension comprehension) {
            return comprehension(comprehension);
        }
        throw new IllegalStateException("unknown node " + node);
    }

    private static Function function(Operator op) {
        return switch (op) {
            case AND -> Function.AND;
            case OR -> Function.OR;
            case EQUAL -> Function.EQUALS;
            case NOT_EQUAL -> Function.NOT_EQUALS;
            case IN -> Function.IN;
            case ADD -> Function.ADD;
            case SUBTRACT -> Function.SUBTRACT;
            case MULTIPLY -> Function.MULTIPLY;
            case DIVIDE -> Function.DIVIDE;
            case MODULO -> Function.MODULO;
            case LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> Function.ORDER;
            case NOT -> Function.NOT;
            case NEGATE -> Function.NEGATE;
        };
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

    private Type selectField(Ast.Select select, Type operandType) {
        Type operand = inference.specialize(operandType);
        return switch (operand.kind()) {
            case DYN -> Type.DYN;
            case MAP -> operand.second();
            case PARAM -> {
                // a variable selected from can only be a map or dyn: pin it to dyn, as CEL does
                inference.assignable(Type.DYN, operand);
                yield Type.DYN;
            }
            default -> problem(select, "type '" + operand + "' does not support field selection");
        };
    }

    private Type listLiteral(Ast.ListLiteral list) {
        Type element = null;
        for (Ast e : list.elements()) {
            Type next = type(e);
            if (element == null) {
                element = next;
            } else if (!inference.assignable(element, next)) {
                element = Type.DYN;
            } else {
                element = TypeInference.mostGeneral(element, next);
            }
        }
        return Type.list(element == null ? inference.fresh() : element);
    }

    private Type call(Ast.Call call) {
        String name = call.function();
        boolean member = call.target() != null;
        Function function = member ? memberFunction(name) : globalFunction(name);
        if (function == null) {
            if (name.equals("has")) {
                return problem(call, "has() takes one field selection, like has(args.name)");
            }
            if (member && (name.equals("exists") || name.equals("all"))) {
                return problem(call, name + "() takes a variable and a predicate, like x." + name + "(v, v > 0)");
            }
            return problem(call, "unknown function '" + name + "'");
        }
        List<Type> argumentTypes = new ArrayList<>();
        for (Ast argument : call.arguments()) {
            argumentTypes.add(type(argument));
        }
        if (member) {
            // CEL types the receiver after the arguments, which decides how variables get bound
            argumentTypes.add(0, type(call.target()));
        }
        if (function == Function.MATCHES && call.arguments().size() == (member ? 1 : 2)) {
            literalPattern(call, call.arguments().get(member ? 0 : 1));
        }
        return resolve(call, function, member, argumentTypes);
    }

    private static Function globalFunction(String name) {
        return switch (name) {
            case "size" -> Function.SIZE;
            case "int" -> Function.INT;
            case "double" -> Function.DOUBLE;
            case "string" -> Function.STRING;
            case "matches" -> Function.MATCHES;
            default -> null;
        };
    }

    private static Function memberFunction(String name) {
        return switch (name) {
            case "size" -> Function.SIZE;
            case "startsWith" -> Function.STARTS_WITH;
            case "endsWith" -> Function.ENDS_WITH;
            case "contains" -> Function.CONTAINS;
            case "matches" -> Function.MATCHES;
            case "lowerAscii" -> Function.LOWER_ASCII;
            default -> null;
        };
    }

    private void literalPattern(Ast.Call call, Ast pattern) {
        if (pattern instanceof Ast.Literal literal && literal.value() instanceof String regex) {
            try {
                patterns.put(call, Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                problem(pattern, "invalid regular expression: " + e.getMessage());
            } catch (RuntimeException e) {
                problem(pattern, "invalid regular expression: " + e);
            }
        }
    }

    private Type comprehension(Ast.Comprehension comprehension) {
        String name = comprehension.all() ? "all" : "exists";
        Type range = inference.specialize(type(comprehension.range()));
        Type variable = switch (range.kind()) {
            case LIST, MAP -> range.first();
            case DYN -> Type.DYN;
            case PARAM -> {
                inference.assignable(Type.DYN, range);
                yield Type.DYN;
            }
            default -> {
                problem(comprehension.range(), "cannot iterate over " + range + ": " + name + "() needs a list or a map");
                yield Type.DYN;
            }
        };
        scope.push(Map.entry(comprehension.variable(), variable));
        Type predicate = type(comprehension.predicate());
        scope.pop();
        // CEL expands the macro to `result || predicate` (exists) or `result && predicate` (all)
        if (!inference.assignable(List.of(Type.BOOL, predicate), List.of(Type.BOOL, Type.BOOL))) {
            return problem(comprehension.predicate(), "the predicate of " + name + "() must be a bool, not "
                    + inference.specialize(predicate));
        }
        return Type.BOOL;
    }

    /**
     * Finds the overloads of {@code function} the arguments fit, in declaration order. The first decides
     * the result type; several with different results make it dyn.
     */
    private Type resolve(Ast node, Function function, boolean member, List<Type> arguments) {
        Type result = null;
        Set<Overload> matched = EnumSet.noneOf(Overload.class);
        for (Overload overload : Overload.of(function)) {
            if (overload.member != member) {
                continue;
            }
            Type[] signature = new Type[overload.parameters.length + 1];
            signature[0] = overload.result;
            System.arraycopy(overload.parameters, 0, signature, 1, overload.parameters.length);
            Type[] instance = inference.instantiate(signature);
            List<Type> parameters = List.of(instance).subList(1, instance.length);
            if (inference.assignable(arguments, parameters)) {
                matched.add(overload);
                Type candidate = inference.specialize(instance[0]);
                if (result == null) {
                    result = candidate;
                } else if (!result.isDyn() && !result.equals(candidate)) {
                    result = Type.DYN;
                }
            }
        }
        if (result == null) {
            StringBuilder shown = new StringBuilder();
            for (Type argument : arguments) {
                shown.append(shown.length() == 0 ? "" : ", ").append(inference.specialize(argument));
            }
            String display = node instanceof Ast.Binary binary ? binary.op().symbol : function.display;
            return problem(node, "no matching overload for '" + display + "' applied to (" + shown + ")");
        }
        overloads.put(node, matched);
        return result;
    }

    /** Records a problem; the node is then taken as dyn so one mistake is reported once. */
    private Type problem(Ast node, String message) {
        problems.add(new ExpressionProblem(node.column(), message));
        return Type.DYN;
    }
}
