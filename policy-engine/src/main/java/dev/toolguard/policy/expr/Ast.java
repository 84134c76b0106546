package dev.toolguard.policy.expr;

import java.util.List;

/**
 * The parsed form of an expression. Every node keeps the 1-based column it is reported at: an
 * operator's own position, a selection's dot, a call's name.
 */
sealed interface Ast {

    int column();

    /** {@code null}, a Boolean, a Long, a Double or a String. */
    record Literal(Object value, int column) implements Ast {
    }

    /** A variable: {@code args}, {@code ctx}, {@code tool} or a comprehension variable. */
    record Ident(String name, int column) implements Ast {
    }

    /** {@code operand.field}. */
    record Select(Ast operand, String field, int column) implements Ast {
    }

    /** {@code has(operand.field)}. */
    record Has(Select select, int column) implements Ast {
    }

    /** {@code operand[index]}. */
    record Index(Ast operand, Ast index, int column) implements Ast {
    }

    record ListLiteral(List<Ast> elements, int column) implements Ast {
    }

    /** {@code !x} or {@code -x}. */
    record Unary(Operator op, Ast operand, int column) implements Ast {
    }

    /** Arithmetic, comparison, equality and {@code in}; {@code &&}/{@code ||} included. */
    record Binary(Operator op, Ast left, Ast right, int column) implements Ast {
    }

    record Conditional(Ast condition, Ast whenTrue, Ast whenFalse, int column) implements Ast {
    }

    /** A function call, global ({@code target == null}) or on a receiver. */
    record Call(Ast target, String function, List<Ast> arguments, int column) implements Ast {
    }

    /** {@code range.exists(variable, predicate)} or {@code range.all(variable, predicate)}. */
    record Comprehension(boolean all, Ast range, String variable, Ast predicate, int column) implements Ast {
    }

    enum Operator {
        NOT("!"), NEGATE("-"),
        MULTIPLY("*"), DIVIDE("/"), MODULO("%"), ADD("+"), SUBTRACT("-"),
        LESS("<"), LESS_EQUAL("<="), GREATER(">"), GREATER_EQUAL(">="), EQUAL("=="), NOT_EQUAL("!="), IN("in"),
        AND("&&"), OR("||");

        final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }
}
