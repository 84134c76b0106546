package dev.toolguard.policy.expr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static dev.toolguard.policy.expr.ExpressionEvaluationTest.eval;
import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §13.9: a BigDecimal argument compares exactly, not as the double it rounds to. */
class ExactNumbersTest {

    private static final BigDecimal JUST_OVER_200 = new BigDecimal("200.0000000000000001");

    private static Object evalAmount(String source, Object amount) {
        return eval(source, Map.of("amount", amount), Map.of());
    }

    @ParameterizedTest
    @CsvSource({
            "args.amount <= 200, false",
            "args.amount < 200, false",
            "args.amount > 200, true",
            "args.amount >= 200, true",
            "args.amount == 200, false",
            "args.amount != 200, true",
            "args.amount <= 200.0, false",
            "args.amount == 200.0, false",
            "200 < args.amount, true",
            "200.0 >= args.amount, false",
            "'args.amount in [200, 300]', false",
            "args.amount < 200.00000000000003, true"})
    void aDecimalJustOver200IsNotAtMost200(String source, boolean expected) {
        assertThat(evalAmount(source, JUST_OVER_200)).isEqualTo(expected);
    }

    @Test
    void aDecimalThatIsADoubleBehavesAsThatDouble() {
        assertThat(evalAmount("args.amount <= 200", new BigDecimal("200.00"))).isEqualTo(true);
        assertThat(evalAmount("args.amount == 0.1", new BigDecimal("0.1"))).isEqualTo(true);
        assertThat(evalAmount("args.amount + 0.5", new BigDecimal("1.25"))).isEqualTo(1.75);
    }

    @Test
    void twoExactDecimalsCompareExactly() {
        Map<String, Object> args = Map.of("a", JUST_OVER_200, "b", new BigDecimal("200.0000000000000002"));

        assertThat(eval("args.a < args.b", args, Map.of())).isEqualTo(true);
        assertThat(eval("args.a == args.b", args, Map.of())).isEqualTo(false);
        assertThat(eval("args.a == args.a", args, Map.of())).isEqualTo(true);
    }

    @Test
    void arithmeticOnAnExactDecimalIsDoubleArithmetic() {
        assertThat(evalAmount("args.amount + 1.0", JUST_OVER_200)).isEqualTo(201.0);
        assertThat(evalAmount("int(args.amount)", JUST_OVER_200)).isEqualTo(200L);
        assertThat(evalAmount("double(args.amount) <= 200.0", JUST_OVER_200)).isEqualTo(true);
    }

    @Test
    void anExactDecimalAgainstNaNOrInfinityOrdersLikeADouble() {
        assertThat(evalAmount("args.amount < double('Infinity')", JUST_OVER_200)).isEqualTo(true);
        assertThat(evalAmount("args.amount > double('-Infinity')", JUST_OVER_200)).isEqualTo(true);
        assertThat(evalAmount("args.amount < double('NaN') || args.amount >= double('NaN')", JUST_OVER_200))
                .isEqualTo(false);
    }

    @Test
    void anExactDecimalInsideAListIsExactToo() {
        assertThat(eval("args.items.all(x, x <= 200)", Map.of("items", List.of(1, JUST_OVER_200)), Map.of()))
                .isEqualTo(false);
    }
}
