package dev.toolguard.policy.expr;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExpressionEvaluationTest {

    private static final Map<String, Object> REFUND_ARGS = Map.of("customer_id", "c1", "amount", 150);
    private static final Map<String, Object> SUPPORT_CTX = Map.of(
            "user", Map.of("id", "u1", "email", "alice@example.com", "roles", List.of("support_l1")),
            "tenant", "acme");

    static Object eval(String source, Map<String, Object> args, Map<String, Object> ctx) {
        ExpressionCompiler.Compilation compilation = ExpressionCompiler.compile(source);
        assertThat(compilation.problems()).as("problems compiling %s", source).isEmpty();
        return compilation.expression().evaluate(args, ctx, "issue_refund");
    }

    static Object eval(String source) {
        return eval(source, REFUND_ARGS, SUPPORT_CTX);
    }

    static String errorOf(String source, Map<String, Object> args, Map<String, Object> ctx) {
        Object result = eval(source, args, ctx);
        assertThat(result).as("result of %s", source).isInstanceOf(EvalError.class);
        return ((EvalError) result).message();
    }

    static String errorOf(String source) {
        return errorOf(source, REFUND_ARGS, SUPPORT_CTX);
    }

    @Nested
    class Variables {

        @Test
        void argsReadsTheCallsArgumentsByName() {
            assertThat(eval("args.customer_id")).isEqualTo("c1");
        }

        @Test
        void ctxReadsTheContextTree() {
            assertThat(eval("ctx.user.email")).isEqualTo("alice@example.com");
        }

        @Test
        void toolIsTheToolName() {
            assertThat(eval("tool")).isEqualTo("issue_refund");
        }

        @Test
        void bracketsReadAKeyLikeADot() {
            assertThat(eval("args['customer_id']")).isEqualTo("c1");
        }

        @Test
        void missingArgumentsAndContextAreEmptyMaps() {
            assertThat(ExpressionCompiler.compile("size(args) + size(ctx)").expression().evaluate(null, null, null))
                    .isEqualTo(0L);
        }
    }

    @Nested
    class Literals {

        @Test
        void integersAreLongs() {
            assertThat(eval("42")).isEqualTo(42L);
        }

        @Test
        void hexadecimalIntegersAreAccepted() {
            assertThat(eval("0x1F")).isEqualTo(31L);
        }

        @Test
        void theSmallestIntegerIsALiteral() {
            assertThat(eval("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        }

        @Test
        void doublesAreDoubles() {
            assertThat(eval("1.5e2")).isEqualTo(150.0);
        }

        @Test
        void singleAndDoubleQuotedStringsAreTheSame() {
            assertThat(eval("'a' == \"a\"")).isEqualTo(true);
        }

        @Test
        void stringEscapesFollowCel() {
            assertThat(eval("'\\x41\\u00e9\\101\\n\\\\'")).isEqualTo("AéA\n\\");
        }

        @Test
        void rawStringsKeepBackslashes() {
            assertThat(eval("r'a\\d'")).isEqualTo("a\\d");
        }

        @Test
        void tripleQuotedStringsMaySpanLines() {
            assertThat(eval("'''a\nb'''")).isEqualTo("a\nb");
        }

        @Test
        void listsHoldAnyValues() {
            assertThat(eval("[1, 'a', null, [true]]")).isEqualTo(java.util.Arrays.asList(1L, "a", null, List.of(true)));
        }

        @Test
        void nullIsNull() {
            assertThat(eval("null")).isNull();
        }
    }

    @Nested
    class Arithmetic {

        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource(delimiter = '|', value = {
                "1 + 2 * 3 | 7",
                "(1 + 2) * 3 | 9",
                "7 / 2 | 3",
                "-7 / 2 | -3",
                "-7 % 2 | -1",
                "10 - 2 - 3 | 5",
                "--5 | 5"})
        void intArithmeticIsInt64(String source, long expected) {
            assertThat(eval(source)).isEqualTo(expected);
        }

        @Test
        void doubleArithmeticIsIeee() {
            assertThat(eval("1.0 / 0.0")).isEqualTo(Double.POSITIVE_INFINITY);
        }

        @Test
        void addingPastInt64IsAnOverflowError() {
            assertThat(errorOf("9223372036854775807 + 1")).isEqualTo("integer overflow in '+'");
        }

        @Test
        void multiplyingPastInt64IsAnOverflowError() {
            assertThat(errorOf("args.amount * 9223372036854775807")).isEqualTo("integer overflow in '*'");
        }

        @Test
        void negatingTheSmallestIntIsAnOverflowError() {
            assertThat(errorOf("-args.n", Map.of("n", Long.MIN_VALUE), Map.of())).isEqualTo("integer overflow in '-'");
        }

        @Test
        void intDivisionByZeroIsAnError() {
            assertThat(errorOf("args.amount / 0")).isEqualTo("division by zero");
        }

        @Test
        void intModulusByZeroIsAnError() {
            assertThat(errorOf("args.amount % 0")).isEqualTo("modulus by zero");
        }

        @Test
        void stringsConcatenate() {
            assertThat(eval("'a' + 'b'")).isEqualTo("ab");
        }

        @Test
        void listsConcatenate() {
            assertThat(eval("[1] + [2, 3]")).isEqualTo(List.of(1L, 2L, 3L));
        }

        @Test
        void intAndDoubleDoNotMixInArithmetic() {
            assertThat(errorOf("args.amount + 0.5")).isEqualTo("type mismatch: '+' on int and double");
        }
    }

    @Nested
    class Comparison {

        @Test
        void anIntArgumentComparesWithAnIntLiteral() {
            assertThat(eval("args.amount <= 200")).isEqualTo(true);
        }

        @Test
        void aDoubleArgumentComparesWithAnIntLiteral() {
            assertThat(eval("args.amount <= 200", Map.of("amount", 150.5), Map.of())).isEqualTo(true);
        }

        @Test
        void aDoubleArgumentEqualsAnIntLiteralOfTheSameValue() {
            assertThat(eval("args.amount == 200", Map.of("amount", 200.0), Map.of())).isEqualTo(true);
        }

        @Test
        void stringsCompareLexicographically() {
            assertThat(eval("'abc' < 'abd'")).isEqualTo(true);
        }

        @Test
        void falseIsLessThanTrue() {
            assertThat(eval("false < true")).isEqualTo(true);
        }

        @Test
        void comparingAStringWithAnIntIsATypeMismatch() {
            assertThat(errorOf("ctx.user.id < 5")).isEqualTo("type mismatch: '<' on string and int");
        }

        @Test
        void equalityAcrossTypesIsFalseNotAnError() {
            assertThat(eval("ctx.user.id == 1")).isEqualTo(false);
        }

        @Test
        void listsAreEqualElementByElement() {
            assertThat(eval("args.l == [1, 2.0]", Map.of("l", List.of(1.0, 2)), Map.of())).isEqualTo(true);
        }

        @Test
        void mapsAreEqualWhateverTheirOrder() {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("x", 1);
            a.put("y", "b");
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("y", "b");
            b.put("x", 1L);
            assertThat(eval("args.a == args.b", Map.of("a", a, "b", b), Map.of())).isEqualTo(true);
        }

        @Test
        void nullEqualsOnlyNull() {
            Map<String, Object> args = new HashMap<>();
            args.put("x", null);
            assertThat(eval("args.x == null && args.customer != null", withCustomer(args), Map.of())).isEqualTo(true);
        }

        private Map<String, Object> withCustomer(Map<String, Object> args) {
            args.put("customer", "c1");
            return args;
        }
    }

    @Nested
    class Membership {

        @Test
        void inFindsAnElementOfAList() {
            assertThat(eval("'support_l1' in ctx.user.roles")).isEqualTo(true);
        }

        @Test
        void inComparesNumbersByValue() {
            assertThat(eval("args.amount in [100, 150.0]")).isEqualTo(true);
        }

        @Test
        void inOnAMapTestsItsKeys() {
            assertThat(eval("'email' in ctx.user")).isEqualTo(true);
        }

        @Test
        void inOnAStringIsATypeMismatch() {
            assertThat(eval("'a' in ctx.tenant")).isInstanceOf(EvalError.class);
        }
    }

    @Nested
    class Logic {

        @Test
        void falseAndAnErrorIsFalse() {
            assertThat(eval("args.missing && false")).isEqualTo(false);
        }

        @Test
        void trueOrAnErrorIsTrue() {
            assertThat(eval("args.missing || true")).isEqualTo(true);
        }

        @Test
        void trueAndAnErrorIsTheError() {
            assertThat(errorOf("true && args.missing")).isEqualTo("no such key: missing");
        }

        @Test
        void aNonBoolOperandOfAndIsAnError() {
            assertThat(errorOf("args.amount && false")).isEqualTo("type mismatch: '&&' needs a bool, not int");
        }

        @Test
        void notOfAnErrorIsTheError() {
            assertThat(errorOf("!args.missing")).isEqualTo("no such key: missing");
        }

        @Test
        void conditionalPicksABranch() {
            assertThat(eval("args.amount > 100 ? 'big' : 'small'")).isEqualTo("big");
        }

        @Test
        void conditionalOnAnErrorIsTheError() {
            assertThat(errorOf("args.missing ? 1 : 2")).isEqualTo("no such key: missing");
        }

        @Test
        void conditionalEvaluatesOnlyTheChosenBranch() {
            assertThat(eval("true ? 1 : args.missing")).isEqualTo(1L);
        }
    }

    @Nested
    class Access {

        @Test
        void aMissingKeyIsAnErrorNamingIt() {
            assertThat(errorOf("args.email")).isEqualTo("no such key: email");
        }

        @Test
        void hasTestsPresence() {
            assertThat(eval("has(args.email) || has(args.customer_id)")).isEqualTo(true);
        }

        @Test
        void hasIsTrueForAPresentNull() {
            Map<String, Object> args = new HashMap<>();
            args.put("email", null);
            assertThat(eval("has(args.email)", args, Map.of())).isEqualTo(true);
        }

        @Test
        void hasOnANonMapIsAnError() {
            assertThat(errorOf("has(args.customer_id.x)")).isEqualTo("cannot test field 'x' on string");
        }

        @Test
        void selectingFromANonMapIsAnError() {
            assertThat(errorOf("args.amount.x")).isEqualTo("cannot select field 'x' on int");
        }

        @Test
        void listsAreIndexedByInt() {
            assertThat(eval("ctx.user.roles[0]")).isEqualTo("support_l1");
        }

        @Test
        void anIndexOutOfRangeIsAnError() {
            assertThat(errorOf("ctx.user.roles[1]")).isEqualTo("index out of range: 1");
        }
    }

    @Nested
    class Functions {

        @Test
        void sizeCountsCodePointsOfAString() {
            assertThat(eval("size('a😀')")).isEqualTo(2L);
        }

        @Test
        void sizeCountsListElementsAndMapEntries() {
            assertThat(eval("ctx.user.roles.size() + size(ctx.user)")).isEqualTo(4L);
        }

        @Test
        void startsWithEndsWithAndContainsTestStrings() {
            assertThat(eval("ctx.user.email.startsWith('alice') && ctx.user.email.endsWith('.com') "
                    + "&& ctx.user.email.contains('@')")).isEqualTo(true);
        }

        @Test
        void matchesFindsThePatternAnywhere() {
            assertThat(eval("'abc'.matches('b')")).isEqualTo(true);
        }

        @Test
        void anchorsMakeMatchesWhole() {
            assertThat(eval("'abc'.matches('^b$')")).isEqualTo(false);
        }

        @Test
        void aPatternFromTheInputsThatDoesNotCompileIsAnError() {
            assertThat(errorOf("'abc'.matches(args.re)", Map.of("re", "["), Map.of()))
                    .startsWith("invalid regular expression");
        }

        @Test
        void lowerAsciiLowersOnlyAsciiLetters() {
            assertThat(eval("'ÀBC'.lowerAscii()")).isEqualTo("Àbc");
        }

        @Test
        void existsIsTrueWhenAnyElementSatisfiesThePredicate() {
            assertThat(eval("[1, 2, 3].exists(x, x > 2)")).isEqualTo(true);
        }

        @Test
        void allIsTrueWhenEveryElementSatisfiesThePredicate() {
            assertThat(eval("[1, 2, 3].all(x, x > 2)")).isEqualTo(false);
        }

        @Test
        void existsIteratesTheKeysOfAMap() {
            assertThat(eval("ctx.user.exists(k, k == 'email')")).isEqualTo(true);
        }

        @Test
        void existsAbsorbsAnErrorWhenAnotherElementIsTrue() {
            assertThat(eval("['a', 5].exists(x, x > 1)")).isEqualTo(true);
        }

        @Test
        void allIsAnErrorWhenAnElementErrsAndNoneIsFalse() {
            assertThat(eval("['a', 5].all(x, x > 1)")).isInstanceOf(EvalError.class);
        }

        @Test
        void intTruncatesADouble() {
            assertThat(eval("int(-1.9)")).isEqualTo(-1L);
        }

        @Test
        void intOfADoubleOutOfRangeIsAnError() {
            assertThat(errorOf("int(1e19)")).startsWith("double out of int range");
        }

        @Test
        void intParsesAString() {
            assertThat(eval("int('-12')")).isEqualTo(-12L);
        }

        @Test
        void intOfAStringThatIsNotAnIntIsAnError() {
            assertThat(errorOf("int('1.5')")).isEqualTo("cannot convert '1.5' to int");
        }

        @Test
        void doubleConvertsAnIntAndAString() {
            assertThat(eval("double(2) + double('0.5')")).isEqualTo(2.5);
        }

        @Test
        void stringFormatsNumbersAndBools() {
            assertThat(eval("string(1) + string(1.5) + string(true)")).isEqualTo("11.5true");
        }
    }

    @Nested
    class Numbers {

        @Test
        void integerJavaNumbersAreInts() {
            Map<String, Object> args = Map.of("i", 1, "s", (short) 2, "b", (byte) 3, "g", BigInteger.valueOf(4));
            assertThat(eval("args.i + args.s + args.b + args.g", args, Map.of())).isEqualTo(10L);
        }

        @Test
        void floatAndBigDecimalAreDoubles() {
            Map<String, Object> args = Map.of("f", 0.5f, "d", new BigDecimal("1.25"));
            assertThat(eval("args.f + args.d", args, Map.of())).isEqualTo(1.75);
        }

        @Test
        void aBigIntegerBeyondInt64IsAnError() {
            assertThat(errorOf("args.g", Map.of("g", BigInteger.TWO.pow(70)), Map.of())).startsWith("integer out of range");
        }
    }

    @Nested
    class NeverThrows {

        @Test
        void aDeeplyNestedValueIsAnErrorNotAStackOverflow() {
            List<Object> deep = new ArrayList<>();
            List<Object> cursor = deep;
            for (int i = 0; i < 200_000; i++) {
                List<Object> next = new ArrayList<>();
                cursor.add(next);
                cursor = next;
            }
            Map<String, Object> args = Map.of("a", deep, "b", deep);
            assertThat(eval("args.a == args.b", args, Map.of())).isInstanceOf(EvalError.class);
        }

        @Test
        void aMapThatFailsWhenReadIsAnError() {
            Map<String, Object> hostile = new HashMap<>() {
                @Override
                public Object get(Object key) {
                    throw new IllegalStateException("boom");
                }
            };
            assertThat(eval("args.x", hostile, Map.of())).isInstanceOf(EvalError.class);
        }
    }
}
