package dev.toolguard.policy.values;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The one converter to JSON-like values: its one set of bounds, and an outcome the caller always sees. */
class PlainValuesTest {

    private static final ValueBounds SMALL = new ValueBounds(3, 5, 10);

    public record Order(String id, BigDecimal amount, Optional<String> note) {
    }

    @Test
    void plainValuesRecordsAndOptionalsConvert() {
        Converted c = PlainValues.of(new Order("o-1", new BigDecimal("12.50"), Optional.empty()), ValueBounds.DEFAULT);

        assertThat(c.ok()).isTrue();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", "o-1");
        expected.put("amount", 12.5);
        expected.put("note", null);
        assertThat(c.value()).isEqualTo(expected);
    }

    @Test
    void aDecimalNoDoubleHoldsStaysExact() {
        BigDecimal over = new BigDecimal("200.0000000000000001");

        assertThat(PlainValues.of(over, ValueBounds.DEFAULT).value()).isEqualTo(over);
        assertThat(PlainValues.of(new BigDecimal("200.00"), ValueBounds.DEFAULT).value()).isEqualTo(200.0);
    }

    @Test
    void anIntegerBeyondALongStaysExactToo() {
        BigInteger big = BigInteger.TWO.pow(70);

        assertThat(PlainValues.of(big, ValueBounds.DEFAULT).value()).isEqualTo(new BigDecimal(big));
        assertThat(PlainValues.of(BigInteger.TEN, ValueBounds.DEFAULT).value()).isEqualTo(10L);
    }

    @Test
    void nestingPastMaxDepthIsAProblemAtItsPointer() {
        Converted c = PlainValues.of(List.of(List.of(List.of(List.of("x")))), SMALL);

        assertThat(c.ok()).isFalse();
        assertThat(c.pointer()).isEqualTo("/0/0/0");
        assertThat(c.problem()).isEqualTo("nested more than 3 levels deep (arguments.max_depth)");
    }

    @Test
    void itemsPastMaxItemsAreAProblemAndCountAcrossOneConversion() {
        assertThat(PlainValues.of(List.of(1, 2, 3, 4, 5, 6), SMALL).pointer()).isEqualTo("/5");

        PlainValues call = PlainValues.within(SMALL);
        assertThat(call.convert(List.of(1, 2, 3)).ok()).isTrue();
        Converted second = call.convert(List.of(4, 5, 6));
        assertThat(second.ok()).isFalse();
        assertThat(second.pointer()).isEqualTo("/2");
        assertThat(second.problem()).isEqualTo("more than 5 items (arguments.max_items)");
    }

    @Test
    void aLongStringOrKeyIsAProblem() {
        assertThat(PlainValues.of(new StringBuilder("x".repeat(11)), SMALL).problem())
                .isEqualTo("a string of 11 characters, longer than arguments.max_string (10)");
        Converted key = PlainValues.of(Map.of("k".repeat(11), 1), SMALL);
        assertThat(key.problem()).isEqualTo("a key longer than arguments.max_string (10 characters)");
    }

    @Test
    void aValueThatContainsItselfIsAProblem() {
        List<Object> self = new ArrayList<>();
        self.add("a");
        self.add(self);

        Converted c = PlainValues.of(self, ValueBounds.DEFAULT);

        assertThat(c.pointer()).isEqualTo("/1");
        assertThat(c.problem()).isEqualTo("a java.util.ArrayList that contains itself");
    }

    @Test
    void anObjectWithNoPropertiesIsAProblemNeverItsToString() {
        Object opaque = new Object() {
            @Override
            public String toString() {
                throw new AssertionError("toString must not be called");
            }
        };

        Converted c = PlainValues.of(Map.of("a/b", opaque), ValueBounds.DEFAULT);

        assertThat(c.pointer()).isEqualTo("/a~1b");
        assertThat(c.problem()).endsWith("is neither a plain value nor a bean with properties");
    }

    @Test
    void entriesByNameAreBoundedLikeParameters() {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            entries.put("p" + i, i);
        }

        Converted c = PlainValues.within(SMALL).convertEntries(entries);

        assertThat(c.pointer()).isEqualTo("/p5");
        assertThat(c.problem()).contains("arguments.max_items");
    }

    @Test
    void scalarsNeedNoConversion() {
        assertThat(PlainValues.simple(7, SMALL)).isEqualTo(7L);
        assertThat(PlainValues.simple(Thread.State.NEW, SMALL)).isEqualTo("NEW");
        assertThat(PlainValues.simple("x".repeat(11), SMALL)).isSameAs(PlainValues.NEEDS_CONVERSION);
        assertThat(PlainValues.simple(List.of(), SMALL)).isSameAs(PlainValues.NEEDS_CONVERSION);
    }
}
