package dev.toolguard.policy.expr;

import com.google.re2j.Pattern;
import dev.toolguard.policy.expr.Ast.Operator;
import dev.toolguard.policy.expr.Checker.Checked;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.Map;

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
            Type key = checked.typeOf(index.index());
            return new Nodes.Index(node(index.operand()), node(index.index()), key.isDynamic());
        } else if (ast instanceof Ast.ListLiteral list) {
            return list(list);
        } else if (ast instanceof Ast.Unary unary) {
            Node operand = node(unary.operand());
            return unary.op() == Operator.NOT ? new Nodes.Not(operand) : new Nodes.Negate(operand);
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
            case IN -> new Nodes.In(left, right);
            case ADD -> new Nodes.Arithmetic(Nodes.ArithmeticOp.ADD, symbol, left, right);
            case SUBTRACT -> new Nodes.Arithmetic(Nodes.ArithmeticOp.SUBTRACT, symbol, left, right);
            case MULTIPLY -> new Nodes.Arithmetic(Nodes.ArithmeticOp.MULTIPLY, symbol, left, right);
            case DIVIDE -> new Nodes.Arithmetic(Nodes.ArithmeticOp.DIVIDE, symbol, left, right);
            case MODULO -> new Nodes.Arithmetic(Nodes.ArithmeticOp.MODULO, symbol, left, right);
            case LESS -> comparison(Nodes.Order.LESS, symbol, left, right);
            case LESS_EQUAL -> comparison(Nodes.Order.LESS_EQUAL, symbol, left, right);
            case GREATER -> comparison(Nodes.Order.GREATER, symbol, left, right);
            case GREATER_EQUAL -> comparison(Nodes.Order.GREATER_EQUAL, symbol, left, right);
            default -> throw new IllegalStateException("not a binary operator: " + binary.op());
        };
    }

    private static Node comparison(Nodes.Order order, String symbol, Node left, Node right) {
        if (right instanceof Nodes.Const constant && constant.value instanceof Long bound) {
            return new Nodes.CompareToInt(order, symbol, left, bound);
        }
        return new Nodes.Compare(order, symbol, left, right);
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
                case "size" -> new Nodes.Size(arguments[0]);
                case "int" -> new Nodes.ToInt(arguments[0]);
                case "double" -> new Nodes.ToDouble(arguments[0]);
                case "string" -> new Nodes.ToText(arguments[0]);
                case "matches" -> pattern != null
                        ? new Nodes.MatchesLiteral(arguments[0], pattern)
                        : new Nodes.MatchesDynamic(arguments[0], arguments[1]);
                default -> throw new IllegalStateException("unchecked function " + call.function());
            };
        }
        return switch (call.function()) {
            case "size" -> new Nodes.Size(target);
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
}
