package dev.toolguard.policy.expr;

import dev.toolguard.policy.expr.Expression.ArgumentReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ExpressionCompilerTest {

    static ExpressionProblem onlyProblem(String source) {
        ExpressionCompiler.Compilation compilation = ExpressionCompiler.compile(source);
        assertThat(compilation.ok()).as("%s compiles", source).isFalse();
        assertThat(compilation.expression()).isNull();
        assertThat(compilation.problems()).hasSize(1);
        return compilation.problems().get(0);
    }

    @Test
    void aValidExpressionCompilesWithoutProblems() {
        ExpressionCompiler.Compilation compilation =
                ExpressionCompiler.compile("\"support_l1\" in ctx.user.roles && args.amount <= 200");
        assertThat(compilation.ok()).isTrue();
        assertThat(compilation.problems()).isEmpty();
        assertThat(compilation.expression().source()).isEqualTo("\"support_l1\" in ctx.user.roles && args.amount <= 200");
    }

    @Nested
    class ParseErrors {

        @Test
        void anUnclosedParenthesisIsReportedAtTheEnd() {
            assertThat(onlyProblem("(args.a == 1")).isEqualTo(
                    new ExpressionProblem(13, "expected ')', found the end of the expression"));
        }

        @Test
        void aSingleEqualsSignIsReportedWhereItStands() {
            assertThat(onlyProblem("args.a = 1")).isEqualTo(
                    new ExpressionProblem(8, "unexpected '=' (did you mean '=='?)"));
        }

        @Test
        void aDanglingOperatorIsReportedAtTheEnd() {
            assertThat(onlyProblem("args.a &&")).isEqualTo(new ExpressionProblem(10, "unexpected end of expression"));
        }

        @Test
        void trailingTokensAreReported() {
            assertThat(onlyProblem("args.a args.b")).isEqualTo(
                    new ExpressionProblem(8, "unexpected 'args' after the end of the expression"));
        }

        @Test
        void anUnterminatedStringIsReportedAtItsQuote() {
            assertThat(onlyProblem("args.a == 'abc")).isEqualTo(new ExpressionProblem(11, "unterminated string"));
        }

        @Test
        void anUnknownEscapeIsReported() {
            assertThat(onlyProblem("'\\q'")).isEqualTo(new ExpressionProblem(2, "unknown escape sequence '\\q'"));
        }

        @Test
        void anIntegerLiteralBeyondInt64IsReported() {
            assertThat(onlyProblem("9223372036854775808")).isEqualTo(
                    new ExpressionProblem(1, "integer literal out of range: 9223372036854775808"));
        }

        @Test
        void anEmptyExpressionIsReported() {
            assertThat(onlyProblem("  ")).isEqualTo(new ExpressionProblem(1, "empty expression"));
        }

        @Test
        void aFieldNameMustFollowADot() {
            assertThat(onlyProblem("args.1")).isEqualTo(
                    new ExpressionProblem(5, "unexpected '.1' after the end of the expression"));
        }

        @Test
        void hasNeedsAFieldSelection() {
            assertThat(onlyProblem("has(args)")).isEqualTo(
                    new ExpressionProblem(5, "has() needs a field selection, like has(args.name)"));
        }

        @Test
        void theComprehensionVariableMustBeAName() {
            assertThat(onlyProblem("[1].exists(1, true)")).isEqualTo(
                    new ExpressionProblem(12, "the first argument of exists() must be a simple name"));
        }

        @Test
        void deepNestingIsRejectedNotOverflowed() {
            assertThat(onlyProblem("(".repeat(300) + "1" + ")".repeat(300)).message())
                    .isEqualTo("expression nests too deeply");
        }

        @Test
        void longOperatorChainsAreRejectedNotOverflowed() {
            assertThat(onlyProblem("1" + " + 1".repeat(5000)).message()).startsWith("expression is too long");
        }
    }

    @Nested
    class UnsupportedCel {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "{'a': 1} | 1 | map literals are not supported",
                "1u | 1 | unsigned integers are not supported",
                "b'abc' | 1 | byte strings are not supported",
                ".args.a | 1 | a leading '.' is not supported",
                "[1].map(x, x) | 5 | unknown function 'map'",
                "timestamp('2026-01-01T00:00:00Z') | 1 | unknown function 'timestamp'"})
        void isAProblem(String source, int column, String message) {
            assertThat(onlyProblem(source)).isEqualTo(new ExpressionProblem(column, message));
        }
    }

    @Nested
    class TypeErrors {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "1 == 1.0 | 3 | no matching overload for '==' applied to (int, double)",
                "'a' + 1 | 5 | no matching overload for '+' applied to (string, int)",
                "1 && true | 3 | no matching overload for '&&' applied to (int, bool)",
                "size(1) | 1 | no matching overload for 'size' applied to (int)",
                "!'a' | 1 | no matching overload for '!' applied to (string)",
                "true ? 1 : 'a' | 6 | no matching overload for '?:' applied to (bool, int, string)",
                "1 in args | 3 | no matching overload for 'in' applied to (int, map(string, dyn))",
                "tool.size() + 'x' | 13 | no matching overload for '+' applied to (int, string)",
                "'abc'.startsWith(1) | 7 | no matching overload for 'startsWith' applied to (string, int)",
                "(args.a + 1) + 'x' | 14 | no matching overload for '+' applied to (int, string)"})
        void celRejectsSoDoWe(String source, int column, String message) {
            assertThat(onlyProblem(source)).isEqualTo(new ExpressionProblem(column, message));
        }

        @Test
        void anythingReadFromArgsIsCheckedAtRunTime() {
            assertThat(ExpressionCompiler.compile("args.a + 1 == args.b && args.c.startsWith(args.d)").ok()).isTrue();
        }

        @Test
        void intAndDoubleLiteralsMayBeOrdered() {
            assertThat(ExpressionCompiler.compile("1 < 1.5").ok()).isTrue();
        }

        @Test
        void anUnknownVariableIsAProblem() {
            assertThat(onlyProblem("user.id == 'a'")).isEqualTo(
                    new ExpressionProblem(1, "unknown variable 'user' (an expression reads args, ctx and tool)"));
        }

        @Test
        void selectingAFieldOfAStringIsAProblem() {
            assertThat(onlyProblem("tool.name")).isEqualTo(
                    new ExpressionProblem(5, "type 'string' does not support field selection"));
        }

        @Test
        void aPredicateMustBeABool() {
            assertThat(onlyProblem("[1, 2].exists(x, x + 1)")).isEqualTo(
                    new ExpressionProblem(20, "the predicate of exists() must be a bool, not int"));
        }

        @Test
        void aBadLiteralPatternIsAProblemAtThePattern() {
            ExpressionProblem problem = onlyProblem("args.email.matches('[a-z')");
            assertThat(problem.column()).isEqualTo(20);
            assertThat(problem.message()).startsWith("invalid regular expression");
        }

        @Test
        void everyProblemIsReported() {
            assertThat(ExpressionCompiler.compile("'a' + 1 == x").problems())
                    .extracting(ExpressionProblem::column).containsExactly(5, 12);
        }
    }

    @Nested
    class ArgumentReferences {

        @Test
        void listsEveryTopLevelArgumentWithItsColumn() {
            Expression expression = ExpressionCompiler.compile(
                    "args.amount <= 200 && has(args.note) && args['customer_id'] != ''").expression();
            assertThat(expression.argumentReferences()).containsExactly(
                    new ArgumentReference("amount", 1),
                    new ArgumentReference("note", 27),
                    new ArgumentReference("customer_id", 41));
        }

        @Test
        void nestedFieldsAreNotArguments() {
            Expression expression = ExpressionCompiler.compile("args.customer.id == ctx.user.id").expression();
            assertThat(expression.argumentReferences()).containsExactly(new ArgumentReference("customer", 1));
        }

        @Test
        void aComprehensionVariableNamedArgsIsNotTheArguments() {
            Expression shadowing = ExpressionCompiler.compile("ctx.items.exists(args, args.x > 0)").expression();
            assertThat(shadowing.argumentReferences()).isEmpty();
        }

        @Test
        void aComputedKeyIsNotAReference() {
            Expression expression = ExpressionCompiler.compile("args[ctx.field] == 1").expression();
            assertThat(expression.argumentReferences()).isEmpty();
        }
    }
}
