package dev.toolguard.policy.expr;

import dev.toolguard.policy.fuzz.Fuzz;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §4 and STYLE ("errors are values"): whatever text a policy holds, compiling it gives an expression or
 * problems each placed at a column inside the text, and evaluating a compiled expression gives a value or an
 * error value, whatever the call's inputs. An exception caught by the compiler's or evaluator's last-resort
 * handler counts as a crash here: those handlers keep a policy safe, but reaching one is a bug.
 *
 * <p>Bounded and seeded ({@link Fuzz}): 1,000 tries each from a fixed seed, fewer for the costlier ones;
 * {@code -Dtoolguard.fuzz.tries=100000} runs a longer session (docs/security.md).
 */
class ExpressionCompilerFuzzTest {

    /** The messages of the last-resort handlers in {@link ExpressionCompiler} and {@link TreeExpression}. */
    private static final String COMPILER_CRASH = "cannot compile expression:";
    private static final String EVALUATOR_CRASH = "internal error evaluating expression";

    private static final String[] TOKENS = {"args", "ctx", "tool", ".", "[", "]", "(", ")", "{", "}", ",", "?", ":",
            "!", "-", "+", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=", "=", "&&", "||", "&", "|", "in", "has",
            "size", "startsWith", "endsWith", "contains", "matches", "lowerAscii", "exists", "all", "int", "double",
            "string", "map", "filter", "true", "false", "null", "0", "1", "-1", "0x1F", "0x", "1u", "1.5", "1e309",
            ".5", "1e", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "'a'", "\"b\"",
            "'\\x41'", "'\\u00e9'", "'\\U0010FFFF'", "'\\U00110000'", "'\\777'", "'\\q'", "r'\\d'", "b'x'",
            "'''x'''", "'", "\"", "'[('", "'(?i)a'", "x", "v", "amount", "user", "roles", "é", "\u0000", "\uD800",
            "🙂", "\t", "\n", "#", "$", "@", "`", "\\"};

    private static final List<String> NESTING_SHAPES = List.of("parentheses", "negations", "minus", "lists",
            "selections", "indexes", "conditionals", "chains", "comprehensions");

    private record Nesting(String shape, int depth) {
    }

    private record Evaluation(String source, Map<String, Object> args, Map<String, Object> ctx, String tool) {
    }

    /** {@code source} reads {@code args.a} and {@code args.b}, both {@code depth} lists or maps deep. */
    private record HostileInput(String source, int depth, boolean asMaps) {
    }

    // ---- compiling ----

    @Test
    void anyTextCompilesOrFailsWithALocatedProblem() {
        Fuzz.forAll(20261205L, f -> f.string(0, 255), ExpressionCompilerFuzzTest::assertCompilesOrIsLocated);
    }

    @Test
    void tokenSoupsCompileOrFailWithALocatedProblem() {
        Fuzz.forAll(20261206L, ExpressionCompilerFuzzTest::tokenSoup,
                ExpressionCompilerFuzzTest::assertCompilesOrIsLocated);
    }

    @Test
    void deeplyNestedExpressionsAreRefusedNotCrashed() {
        Fuzz.forAll(20261207L, 200, f -> new Nesting(f.pick(NESTING_SHAPES), depth(f)), in -> {
            int depth = in.depth();
            String source = switch (in.shape()) {
                case "parentheses" -> "(".repeat(depth) + "1" + ")".repeat(depth);
                case "negations" -> "!".repeat(depth) + "true";
                case "minus" -> "-".repeat(depth) + "1";
                case "lists" -> "[".repeat(depth) + "]".repeat(depth);
                case "selections" -> "args" + ".a".repeat(depth);
                case "indexes" -> "args" + "[0]".repeat(depth);
                case "conditionals" -> "true ? ".repeat(depth) + "1" + " : 2".repeat(depth);
                case "chains" -> "1" + " + 1".repeat(depth);
                default -> "x.exists(v, ".repeat(depth) + "true" + ")".repeat(depth);
            };
            assertCompilesOrIsLocated(source);
        });
    }

    // ---- evaluating ----

    @Test
    void compiledExpressionsEvaluateToAValueOrAnErrorValue() {
        Fuzz.forAll(20261208L, f -> {
            String source = expression(f);
            Map<String, Object> args = inputs(f);
            Map<String, Object> ctx = inputs(f);
            return new Evaluation(source, args, ctx, toolName(f));
        }, in -> {
            ExpressionCompiler.Compilation compilation = assertCompilesOrIsLocated(in.source());
            if (compilation.ok()) {
                assertValueOrErrorValue(compilation.expression().evaluate(in.args(), in.ctx(), in.tool()));
            }
        });
    }

    @Test
    void hostileInputsEvaluateToAValueOrAnErrorValue() {
        Fuzz.forAll(20261209L, 200, f -> {
            String source = f.pick(READING_ALL_OF_ARGS);
            int depth = depth(f);
            return new HostileInput(source, depth, f.bool());
        }, in -> {
            Object nested = "leaf";
            for (int i = 0; i < in.depth(); i++) {
                nested = in.asMaps() ? Map.of("a", nested) : List.of(nested);
            }
            Map<String, Object> args = Map.of("a", nested, "b", nested);
            ExpressionCompiler.Compilation compilation = ExpressionCompiler.compile(in.source());
            assertThat(compilation.ok()).as("%s compiles", in.source()).isTrue();
            assertValueOrErrorValue(compilation.expression().evaluate(args, Map.of(), "t"));
        });
    }

    // ---- assertions ----

    private static ExpressionCompiler.Compilation assertCompilesOrIsLocated(String source) {
        ExpressionCompiler.Compilation compilation = ExpressionCompiler.compile(source);
        if (compilation.ok()) {
            assertThat(compilation.problems()).isEmpty();
            assertThat(compilation.expression().source()).isEqualTo(source);
            return compilation;
        }
        assertThat(compilation.problems()).as("problems of %s", source).isNotEmpty();
        for (ExpressionProblem problem : compilation.problems()) {
            assertThat(problem.message()).as("problem of %s", source).isNotBlank().doesNotStartWith(COMPILER_CRASH);
            assertThat(problem.column()).as("column of %s in %s", problem, source)
                    .isBetween(1, source.length() + 1);
        }
        return compilation;
    }

    /** Expression's contract: a JSON-like value or an {@link EvalError}, and never the evaluator's last resort. */
    private static void assertValueOrErrorValue(Object value) {
        if (value instanceof EvalError error) {
            assertThat(error.message()).isNotBlank().doesNotStartWith(EVALUATOR_CRASH);
            return;
        }
        assertJsonLike(value, 0);
    }

    private static void assertJsonLike(Object value, int depth) {
        if (value == null || value instanceof Boolean || value instanceof Long || value instanceof Double
                || value instanceof String || depth > 50) {
            return;
        }
        if (value instanceof List<?> list) {
            list.forEach(v -> assertJsonLike(v, depth + 1));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(v -> assertJsonLike(v, depth + 1));
        } else {
            // inputs are passed through as given: an input's own ints and decimals may come back unchanged
            assertThat(value).isInstanceOfAny(Integer.class, Short.class, BigDecimal.class, Float.class);
        }
    }

    // ---- generators ----

    /** A nesting depth from 1 to 20,000: the two ends now and then, otherwise anywhere between. */
    private static int depth(Fuzz f) {
        return f.oneIn(5) ? f.pick(1, 2, 19_999, 20_000) : f.between(1, 20_000);
    }

    /** Up to 40 tokens (or 1 to 4 random characters), each followed by no space, a space or a tab. */
    private static String tokenSoup(Fuzz f) {
        StringBuilder soup = new StringBuilder();
        for (String token : f.listOf(0, 40, () -> f.bool() ? f.pick(TOKENS) : f.string(1, 4))) {
            soup.append(token).append(f.pick("", "", " ", "  ", "\t"));
        }
        return soup.toString();
    }

    /** Grammar-shaped expressions of the subset, 0 to 4 levels deep, often ill-typed: both paths must hold. */
    private static String expression(Fuzz f) {
        return f.nested(f.between(0, 4), () -> leaf(f), inner -> compound(f, inner));
    }

    /** One operator, function or macro over expressions one level less deep. */
    private static String compound(Fuzz f, Supplier<String> inner) {
        return switch (f.between(0, 10)) {
            case 0 -> inner.get();
            case 1 -> "(" + inner.get() + " " + f.pick("+", "-", "*", "/", "%", "<", "<=", ">", ">=", "==", "!=",
                    "in", "&&", "||") + " " + inner.get() + ")";
            case 2 -> f.pick("!", "-") + "(" + inner.get() + ")";
            case 3 -> "(" + inner.get() + " ? " + inner.get() + " : " + inner.get() + ")";
            case 4 -> f.pick("size", "int", "double", "string") + "(" + inner.get() + ")";
            case 5 -> "(" + inner.get() + ")." + f.pick("startsWith", "endsWith", "contains", "matches")
                    + "(" + inner.get() + ")";
            case 6 -> "(" + inner.get() + ")." + f.pick("lowerAscii()", "size()");
            case 7 -> "(" + inner.get() + ")." + f.pick("exists", "all") + "(v, " + inner.get() + ")";
            case 8 -> "(" + inner.get() + ")[" + inner.get() + "]";
            case 9 -> "[" + String.join(", ", f.listOf(0, 3, inner)) + "]";
            default -> "has(" + f.pick("args", "ctx", "args.a", "ctx.user") + ".a)";
        };
    }

    private static String leaf(Fuzz f) {
        return switch (f.between(0, 2)) {
            case 0 -> f.pick("args", "ctx", "tool", "v", "null", "true", "false", "0", "1", "-1", "2", "0x10",
                    "9223372036854775807", "-9223372036854775808", "0.0", "-0.0", "1.5", "1e308", "'a'", "'A b'",
                    "\"\"", "'^a.*$'", "'['", "'(?i)x'", "'é'", "[]", "[1, 2]", "['a', 'b']", "[1, 'a', 2.5]");
            case 1 -> f.pick("args", "ctx") + "."
                    + String.join(".", f.listOf(1, 3, () -> f.pick("a", "b", "n", "s", "l", "m", "user")));
            default -> "args['" + f.pick("a", "b", "n", "s") + "']";
        };
    }

    /** Inputs of every JSON-like shape, and of the other Java number types the evaluator must read. */
    private static Map<String, Object> inputs(Fuzz f) {
        return f.mapOf(6, () -> f.pick("a", "b", "n", "s", "l", "m", "user"), () -> value(f));
    }

    /** A value up to 3 levels deep: any scalar, or a list or map of values one level less deep. */
    private static Object value(Fuzz f) {
        return f.nested(3, () -> scalar(f), inner -> switch (f.between(0, 12)) {
            case 11 -> f.listOf(0, 4, inner);
            case 12 -> f.mapOf(4, () -> f.pick("a", "b", "n", "s", "user", ""), inner);
            default -> scalar(f);
        });
    }

    private static Object scalar(Fuzz f) {
        return switch (f.between(0, 10)) {
            case 0 -> f.anyLong();
            case 1 -> f.anyInt();
            case 2 -> f.anyShort();
            case 3 -> f.anyDouble();
            case 4 -> f.<Object>pick(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e308);
            case 5 -> f.anyFloat();
            case 6 -> f.anyBigDecimal(20);
            case 7 -> f.string(0, 12);
            case 8 -> f.pick("a", "A b", "alice@example.com", "", "é");
            case 9 -> f.bool();
            default -> null;
        };
    }

    private static String toolName(Fuzz f) {
        return f.bool() ? f.pick("issue_refund", "crm.read", "") : f.string(0, 8);
    }

    private static final List<String> READING_ALL_OF_ARGS = List.of("args.a == args.b", "args == args",
            "string(args.a) == ''", "size(args.a) > 0", "args.a in [args.b]", "[args.a] + [args.b] == [args.b, args.a]",
            "args.a.exists(v, v == args.b)", "has(args.a.a)", "args.a != 'x'");
}
