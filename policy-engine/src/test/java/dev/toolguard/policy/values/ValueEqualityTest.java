package dev.toolguard.policy.values;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The one equality (SPEC §4), shared by expressions and decisions. */
class ValueEqualityTest {

    @Test
    void numbersAreEqualByValueAcrossTypes() {
        assertThat(ValueEquality.equal(1L, 1.0)).isTrue();
        assertThat(ValueEquality.equal(1, 1L)).isTrue();
        assertThat(ValueEquality.equal(1.0f, 1L)).isTrue();
        assertThat(ValueEquality.equal(new BigDecimal("200.00"), 200L)).isTrue();
        assertThat(ValueEquality.equal(BigInteger.valueOf(7), 7.0)).isTrue();
        assertThat(ValueEquality.equal(new AtomicLong(3), 3L)).isTrue();
    }

    @Test
    void anExactDecimalIsNotTheDoubleItRoundsTo() {
        BigDecimal over = new BigDecimal("200.0000000000000001");

        assertThat(ValueEquality.equal(over, 200L)).isFalse();
        assertThat(ValueEquality.equal(over, 200.0)).isFalse();
        assertThat(ValueEquality.equal(over, new BigDecimal("200.00000000000000010"))).isTrue();
        assertThat(ValueEquality.compareExactly(ValueEquality.number(over), 200L)).isEqualTo(1);
    }

    @Test
    void notANumberEqualsNothing() {
        assertThat(ValueEquality.equal(Double.NaN, Double.NaN)).isFalse();
        assertThat(ValueEquality.compareExactly(Double.NaN, 1L)).isEqualTo(ValueEquality.UNORDERED);
    }

    @Test
    void listsAndMapsCompareElementByElement() {
        assertThat(ValueEquality.equal(List.of(1L, "a"), List.of(1.0, "a"))).isTrue();
        assertThat(ValueEquality.equal(List.of(1L), List.of(1L, 2L))).isFalse();
        assertThat(ValueEquality.equal(Map.of("a", 1L, "b", List.of(2)), Map.of("b", List.of(2.0), "a", 1))).isTrue();
        assertThat(ValueEquality.equal(Map.of("a", 1L), Map.of("b", 1L))).isFalse();
    }

    @Test
    void valuesOfDifferentKindsAreUnequal() {
        assertThat(ValueEquality.equal("1", 1L)).isFalse();
        assertThat(ValueEquality.equal(true, 1L)).isFalse();
        assertThat(ValueEquality.equal(null, 0L)).isFalse();
        assertThat(ValueEquality.equal(null, null)).isTrue();
    }
}
