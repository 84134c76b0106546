package dev.toolguard.policy.expr;

import dev.toolguard.policy.expr.Ast.Operator;
import dev.toolguard.policy.expr.Lexer.Kind;
import dev.toolguard.policy.expr.Lexer.Token;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive descent over CEL's grammar, restricted to the subset: conditional, {@code ||}, {@code &&},
 * relations, {@code + -}, {@code * / %}, unary, member access, primaries. Like CEL, a run of an even
 * number of {@code !} or {@code -} cancels out, and a single {@code -} before a number is part of it.
 */
final class Parser {

    /** Deep enough for any policy, shallow enough that checking and evaluating cannot overflow the stack. */
    static final int MAX_DEPTH = 120;

    /** Bounds left-nested operator chains too, which the depth count does not see. */
    static final int MAX_TOKENS = 2000;

    /** Thrown inside the parser only, turned into a problem by {@link ExpressionCompiler}. */
    static final class ParseFailure extends RuntimeException {
        final int column;

        ParseFailure(int column, String message) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    private final List<Token> tokens;
    private int pos;
    private int depth;

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Ast parse(String src) {
        List<Token> tokens = Lexer.tokenize(src);
        if (tokens.size() > MAX_TOKENS) {
            throw new ParseFailure(tokens.get(MAX_TOKENS).column(), "expression is too long (more than " + MAX_TOKENS + " tokens)");
        }
        Parser parser = new Parser(tokens);
        if (parser.peek().kind() == Kind.EOF) {
            throw new ParseFailure(1, "empty expression");
        }
        Ast ast = parser.expr();
        Token rest = parser.peek();
        if (rest.kind() != Kind.EOF) {
            throw new ParseFailure(rest.column(), "unexpected " + describe(rest) + " after the end of the expression");
        }
        return ast;
    }

    private Ast expr() {
        if (++depth > MAX_DEPTH) {
            throw new ParseFailure(peek().column(), "expression nests too deeply");
        }
        Ast condition = or();
        Ast result = condition;
        if (peek().kind() == Kind.QUESTION) {
            Token question = advance();
            Ast whenTrue = or();
            expect(Kind.COLON, "':' of the conditional");
            Ast whenFalse = expr();
            result = new Ast.Conditional(condition, whenTrue, whenFalse, question.column());
        }
        depth--;
        return result;
    }

    private Ast or() {
        Ast left = and();
        while (peek().kind() == Kind.OR) {
            Token op = advance();
            left = new Ast.Binary(Operator.OR, left, and(), op.column());
        }
        return left;
    }

    private Ast and() {
        Ast left = relation();
        while (peek().kind() == Kind.AND) {
            Token op = advance();
            left = new Ast.Binary(Operator.AND, left, relation(), op.column());
        }
        return left;
    }

    private Ast relation() {
        Ast left = addition();
        while (true) {
            Operator op = switch (peek().kind()) {
                case LT -> Operator.LESS;
                case LE -> Operator.LESS_EQUAL;
                case GT -> Operator.GREATER;
                case GE -> Operator.GREATER_EQUAL;
                case EQ -> Operator.EQUAL;
                case NE -> Operator.NOT_EQUAL;
                case IN -> Operator.IN;
                default -> null;
            };
            if (op == null) {
                return left;
            }
            Token token = advance();
            left = new Ast.Binary(op, left, addition(), token.column());
        }
    }

    private Ast addition() {
        Ast left = multiplication();
        while (peek().kind() == Kind.PLUS || peek().kind() == Kind.MINUS) {
            Token token = advance();
            Operator op = token.kind() == Kind.PLUS ? Operator.ADD : Operator.SUBTRACT;
            left = new Ast.Binary(op, left, multiplication(), token.column());
        }
        return left;
    }

    private Ast multiplication() {
        Ast left = unary();
        while (true) {
            Operator op = switch (peek().kind()) {
                case STAR -> Operator.MULTIPLY;
                case SLASH -> Operator.DIVIDE;
                case PERCENT -> Operator.MODULO;
                default -> null;
            };
            if (op == null) {
                return left;
            }
            Token token = advance();
            left = new Ast.Binary(op, left, unary(), token.column());
        }
    }

    private Ast unary() {
        Kind kind = peek().kind();
        if (kind != Kind.NOT && kind != Kind.MINUS) {
            return member();
        }
        Token first = peek();
        int count = 0;
        while (peek().kind() == kind) {
            advance();
            count++;
        }
        if (kind == Kind.MINUS && count == 1 && isNumber(peek().kind())) {
            return postfix(negativeLiteral(first));
        }
        if (++depth > MAX_DEPTH) {
            throw new ParseFailure(peek().column(), "expression nests too deeply");
        }
        Ast operand = member();
        depth--;
        if (count % 2 == 0) {
            return operand;
        }
        return new Ast.Unary(kind == Kind.NOT ? Operator.NOT : Operator.NEGATE, operand, first.column());
    }

    private Ast negativeLiteral(Token minus) {
        Token number = advance();
        if (number.kind() == Kind.DOUBLE) {
            return new Ast.Literal(-(Double) number.value(), minus.column());
        }
        return new Ast.Literal(integer(number, true, minus.column()), minus.column());
    }

    private Ast member() {
        return postfix(primary());
    }

    private Ast postfix(Ast operand) {
        Ast e = operand;
        while (true) {
            Token token = peek();
            if (token.kind() == Kind.DOT) {
                advance();
                Token name = peek();
                if (name.kind() != Kind.IDENT) {
                    throw new ParseFailure(name.column(), "expected a field or function name after '.', found " + describe(name));
                }
                advance();
                if (peek().kind() == Kind.LPAREN) {
                    e = receiverCall(e, name);
                } else {
                    e = new Ast.Select(e, name.text(), token.column());
                }
            } else if (token.kind() == Kind.LBRACKET) {
                advance();
                Ast index = expr();
                expect(Kind.RBRACKET, "']'");
                e = new Ast.Index(e, index, token.column());
            } else {
                return e;
            }
        }
    }

    private Ast receiverCall(Ast target, Token name) {
        List<Ast> arguments = arguments();
        String function = name.text();
        if ((function.equals("exists") || function.equals("all")) && arguments.size() == 2) {
            if (!(arguments.get(0) instanceof Ast.Ident variable)) {
                throw new ParseFailure(arguments.get(0).column(), "the first argument of " + function + "() must be a simple name");
            }
            return new Ast.Comprehension(function.equals("all"), target, variable.name(), arguments.get(1), name.column());
        }
        return new Ast.Call(target, function, arguments, name.column());
    }

    private Ast primary() {
        Token token = peek();
        switch (token.kind()) {
            case IDENT -> {
                advance();
                if (peek().kind() != Kind.LPAREN) {
                    return new Ast.Ident(token.text(), token.column());
                }
                List<Ast> arguments = arguments();
                if (token.text().equals("has") && arguments.size() == 1) {
                    if (!(arguments.get(0) instanceof Ast.Select select)) {
                        throw new ParseFailure(arguments.get(0).column(), "has() needs a field selection, like has(args.name)");
                    }
                    return new Ast.Has(select, token.column());
                }
                return new Ast.Call(null, token.text(), arguments, token.column());
            }
            case LPAREN -> {
                advance();
                Ast inner = expr();
                expect(Kind.RPAREN, "')'");
                return inner;
            }
            case LBRACKET -> {
                advance();
                List<Ast> elements = new ArrayList<>();
                while (peek().kind() != Kind.RBRACKET) {
                    elements.add(expr());
                    if (peek().kind() != Kind.COMMA) {
                        break;
                    }
                    advance();
                }
                expect(Kind.RBRACKET, "']' or ','");
                return new Ast.ListLiteral(List.copyOf(elements), token.column());
            }
            case LBRACE -> throw new ParseFailure(token.column(), "map literals are not supported");
            case INT -> {
                advance();
                return new Ast.Literal(integer(token, false, token.column()), token.column());
            }
            case DOUBLE, STRING -> {
                advance();
                return new Ast.Literal(token.value(), token.column());
            }
            case TRUE, FALSE -> {
                advance();
                return new Ast.Literal(token.kind() == Kind.TRUE, token.column());
            }
            case NULL -> {
                advance();
                return new Ast.Literal(null, token.column());
            }
            case DOT -> throw new ParseFailure(token.column(), "a leading '.' is not supported");
            case EOF -> throw new ParseFailure(token.column(), "unexpected end of expression");
            default -> throw new ParseFailure(token.column(), "unexpected " + describe(token));
        }
    }

    private List<Ast> arguments() {
        expect(Kind.LPAREN, "'('");
        List<Ast> arguments = new ArrayList<>();
        if (peek().kind() != Kind.RPAREN) {
            arguments.add(expr());
            while (peek().kind() == Kind.COMMA) {
                advance();
                arguments.add(expr());
            }
        }
        expect(Kind.RPAREN, "')' or ','");
        return List.copyOf(arguments);
    }

    private static Long integer(Token token, boolean negative, int column) {
        String text = (String) token.value();
        boolean hex = text.startsWith("0x") || text.startsWith("0X");
        BigInteger value = new BigInteger(hex ? text.substring(2) : text, hex ? 16 : 10);
        if (negative) {
            value = value.negate();
        }
        if (value.bitLength() > 63) {
            throw new ParseFailure(column, "integer literal out of range: " + (negative ? "-" : "") + text);
        }
        return value.longValue();
    }

    private static boolean isNumber(Kind kind) {
        return kind == Kind.INT || kind == Kind.DOUBLE;
    }

    private Token expect(Kind kind, String what) {
        Token token = peek();
        if (token.kind() != kind) {
            throw new ParseFailure(token.column(), "expected " + what + ", found " + describe(token));
        }
        return advance();
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token advance() {
        return tokens.get(pos++);
    }

    private static String describe(Token token) {
        return token.kind() == Kind.EOF ? "the end of the expression" : "'" + token.text() + "'";
    }
}
