package dev.toolguard.policy.expr;

import com.google.re2j.Pattern;
import dev.toolguard.policy.expr.Ast.Operator;
import dev.toolguard.policy.expr.Checker.Checked;
import dev.toolguard.policy.expr.Overload.Function;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.Map;
import java.util.Set;

/** Turns a checked AST into the node tree the evaluator runs. */
final class TreePlanner {

    /** The root node and how many comprehension variables an evaluation needs room for. */
    record Plan(Node root, int localSlots) {
    }

    private final Checked checked;
    private final Deque<Map.Entry<String, Integer>> scope = new ArrayDeque<>();
    private int maxSlots;

    private TreePlanner(Checked checked) {
        this.checked = checked;
    }

    static Plan plan(Checked checked) {
        TreePlanner planner = new TreePlanner(checked);
        Node root = planner.node(checked.root());
        return new Plan(root, planner.maxSlots);
    }

    private Node node(Ast ast) {
        if (ast instanceof Ast.Literal literal) {
            return new Nodes.Const(literal.value());
        } else if (ast instanceof Ast.Ident ident) {
            return identifier(ident.name());
        } else if (ast instanceof Ast.Select select) {
            return select(select);
        } else if (ast instanceof Ast.Has has) {
            return new Nodes.Has(node(has.select().operand()), has.select().field());
        } else if (ast instanceof Ast.Index index) {
            Set<Overload> allowed = checked.overloadsOf(index, Function.INDEX);
            return new Nodes.Index(node(index.operand()), node(index.index()),
                    allowed.contains(Overload.INDEX_LIST), allowed.contains(Overload.INDEX_MAP));
        } else if (ast instanceof Ast.ListLiteral list) {
            return list(list);
        } else if (ast instanceof Ast.Unary unary) {
            Node operand = node(unary.operand());
            if (unary.op() == Operator.NOT) {
                return new Nodes.Not(operand);
            }
            Set<Overload> allowed = checked.overloadsOf(unary, Function.NEGATE);
            return new Nodes.Negate(operand, allowed.contains(Overload.NEGATE_INT), allowed.contains(Overload.NEGATE_DOUBLE));
        } else if (ast instanceof Ast.Binary binary) {
            return binary(binary);
        } else if (ast instanceof Ast.Conditional c) {
            return new Nodes.Conditional(node(c.condition()), node(c.whenTrue()), node(c.whenFalse()));
        } else if (ast instanceof Ast.Call call) {
            return call(call);
        } else if (ast instanceof Ast.Comprehension comprehension) {
            Node range = node(comprehension.range());
            int slot = scope.size();
            maxSlots = Math.max(maxSlots, slot + 1);
            scope.push(Map.entry(comprehension.variable(), slot));
            Node predicate = node(comprehension.predicate());
            scope.pop();
            return new Nodes.Comprehension(range, slot, predicate, comprehension.all());
        }
        throw new IllegalStateException("unknown node " + ast);
    }

    private Node identifier(String name) {
        for (Map.Entry<String, Integer> local : scope) {
            if (local.getKey().equals(name)) {
                return new Nodes.Local(local.getValue());
            }
        }
        return switch (name) {
            case "args" -> new Nodes.Args();
            case "ctx" -> new Nodes.Ctx();
            case "tool" -> new Nodes.Tool();
            default -> throw new IllegalStateException("unchecked variable " + name);
        };
    }

    private Node select(Ast.Select select) {
        Node operand = node(select.operand());
        if (operand instanceof Nodes.Args) {
            return new Nodes.ArgsField(select.field());
        }
        if (operand instanceof Nodes.Ctx) {
            return new Nodes.CtxField(select.field());
        }
        return new Nodes.Select(operand, select.field());
    }

    private Node list(Ast.ListLiteral list) {
        Node[] elements = new Node[list.elements().size()];
        boolean constant = true;
        for (int i = 0; i < elements.length; i++) {
            elements[i] = node(list.elements().get(i));
            constant &= elements[i] instanceof Nodes.Const;
        }
        if (!constant) {
            return new Nodes.ListLiteral(elements);
        }
        Object[] values = new Object[elements.length];
        for (int i = 0; i < elements.length; i++) {
            values[i] = ((Nodes.Const) elements[i]).value;
        }
        return new Nodes.Const(Collections.unmodifiableList(Arrays.asList(values)));
    }

    private Node binary(Ast.Binary binary) {
        Node left = node(binary.left());
        Node right = node(binary.right());
        String symbol = binary.op().symbol;
        return switch (binary.op()) {
            case AND -> new Nodes.And(left, right);
            case OR -> new Nodes.Or(left, right);
            case EQUAL -> new Nodes.Equal(left, right, false);
            case NOT_EQUAL -> new Nodes.Equal(left, right, true);
            case IN -> {
                Set<Overload> allowed = checked.overloadsOf(binary, Function.IN);
                boolean lists = allowed.contains(Overload.IN_LIST);
                boolean maps = allowed.contains(Overload.IN_MAP);
                yield left instanceof Nodes.Const constant && constant.value instanceof String element
                        ? new Nodes.StringIn(element, right, lists, maps)
                        : new Nodes.In(left, right, lists, maps);
            }
            case ADD -> arithmetic(binary, Nodes.ArithmeticOp.ADD, Function.ADD, left, right,
                    Overload.ADD_INT, Overload.ADD_DOUBLE);
            case SUBTRACT -> arithmetic(binary, Nodes.ArithmeticOp.SUBTRACT, Function.SUBTRACT, left, right,
                    Overload.SUBTRACT_INT, Overload.SUBTRACT_DOUBLE);
            case MULTIPLY -> arithmetic(binary, Nodes.ArithmeticOp.MULTIPLY, Function.MULTIPLY, left, right,
                    Overload.MULTIPLY_INT, Overload.MULTIPLY_DOUBLE);
            case DIVIDE -> arithmetic(binary, Nodes.ArithmeticOp.DIVIDE, Function.DIVIDE, left, right,
                    Overload.DIVIDE_INT, Overload.DIVIDE_DOUBLE);
            case MODULO -> arithmetic(binary, Nodes.ArithmeticOp.MODULO, Function.MODULO, left, right,
                    Overload.MODULO_INT, null);
            case LESS -> comparison(binary, Nodes.Order.LESS, symbol, left, right);
            case LESS_EQUAL -> comparison(binary, Nodes.Order.LESS_EQUAL, symbol, left, right);
            case GREATER -> comparison(binary, Nodes.Order.GREATER, symbol, left, right);
            case GREATER_EQUAL -> comparison(binary, Nodes.Order.GREATER_EQUAL, symbol, left, right);
            default -> throw new IllegalStateException("not a binary operator: " + binary.op());
        };
    }

    private Node arithmetic(Ast.Binary binary, Nodes.ArithmeticOp op, Function function, Node left, Node right,
                            Overload ints, Overload doubles) {
        Set<Overload> allowed = checked.overloadsOf(binary, function);
        return new Nodes.Arithmetic(op, binary.op().symbol, left, right, allowed.contains(ints),
                doubles != null && allowed.contains(doubles), allowed.contains(Overload.ADD_STRING),
                allowed.contains(Overload.ADD_LIST));
    }

    private Node comparison(Ast.Binary binary, Nodes.Order order, String symbol, Node left, Node right) {
        Set<Overload> allowed = checked.overloadsOf(binary, Function.ORDER);
        Nodes.Orderings orderings = new Nodes.Orderings(allowed.contains(Overload.LESS_BOOL),
                allowed.contains(Overload.LESS_INT), allowed.contains(Overload.LESS_DOUBLE),
                allowed.contains(Overload.LESS_STRING), allowed.contains(Overload.LESS_INT_DOUBLE),
                allowed.contains(Overload.LESS_DOUBLE_INT));
        if (right instanceof Nodes.Const constant && constant.value instanceof Long bound) {
            return new Nodes.CompareToInt(order, symbol, orderings, left, bound);
        }
        return new Nodes.Compare(order, symbol, orderings, left, right);
    }

    private Node call(Ast.Call call) {
        Node target = call.target() == null ? null : node(call.target());
        Node[] arguments = new Node[call.arguments().size()];
        for (int i = 0; i < arguments.length; i++) {
            arguments[i] = node(call.arguments().get(i));
        }
        Pattern pattern = checked.patterns().get(call);
        if (target == null) {
            return switch (call.function()) {
                case "size" -> size(call, arguments[0], Overload.SIZE_STRING, Overload.SIZE_LIST, Overload.SIZE_MAP);
                case "int" -> new Nodes.ToInt(arguments[0], conversions(call, Function.INT,
                        Overload.INT_FROM_INT, Overload.INT_FROM_DOUBLE, Overload.INT_FROM_STRING, null));
                case "double" -> new Nodes.ToDouble(arguments[0], conversions(call, Function.DOUBLE,
                        Overload.DOUBLE_FROM_INT, Overload.DOUBLE_FROM_DOUBLE, Overload.DOUBLE_FROM_STRING, null));
                case "string" -> new Nodes.ToText(arguments[0], conversions(call, Function.STRING,
                        Overload.STRING_FROM_INT, Overload.STRING_FROM_DOUBLE, Overload.STRING_FROM_STRING,
                        Overload.STRING_FROM_BOOL));
                case "matches" -> pattern != null
                        ? new Nodes.MatchesLiteral(arguments[0], pattern)
                        : new Nodes.MatchesDynamic(arguments[0], arguments[1]);
                default -> throw new IllegalStateException("unchecked function " + call.function());
            };
        }
        return switch (call.function()) {
            case "size" -> size(call, target, Overload.STRING_SIZE, Overload.LIST_SIZE, Overload.MAP_SIZE);
            case "startsWith" -> new Nodes.StringTest(Nodes.TextTest.STARTS_WITH, "startsWith", target, arguments[0]);
            case "endsWith" -> new Nodes.StringTest(Nodes.TextTest.ENDS_WITH, "endsWith", target, arguments[0]);
            case "contains" -> new Nodes.StringTest(Nodes.TextTest.CONTAINS, "contains", target, arguments[0]);
            case "matches" -> pattern != null
                    ? new Nodes.MatchesLiteral(target, pattern)
                    : new Nodes.MatchesDynamic(target, arguments[0]);
            case "lowerAscii" -> new Nodes.LowerAscii(target);
            default -> throw new IllegalStateException("unchecked function " + call.function());
        };
    }

    private Node size(Ast.Call call, Node operand, Overload strings, Overload lists, Overload maps) {
        Set<Overload> allowed = checked.overloadsOf(call, Function.SIZE);
        return new Nodes.Size(operand, allowed.contains(strings), allowed.contains(lists), allowed.contains(maps));
    }

    private Nodes.Conversions conversions(Ast.Call call, Function function, Overload fromInt, Overload fromDouble,
                                          Overload fromString, Overload fromBool) {
        Set<Overload> allowed = checked.overloadsOf(call, function);
        return new Nodes.Conversions(allowed.contains(fromInt), allowed.contains(fromDouble),
                allowed.contains(fromString), fromBool != null && allowed.contains(fromBool));
    }
}
