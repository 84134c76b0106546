package dev.toolguard.agent.runtime;

import dev.toolguard.instrumentation.ToolMethod;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class PlainValueArgumentReaderTest {

    enum Tier { GOLD }

    record Line(String sku, int qty) {
    }

    public static class Account {
        public String getId() {
            return "a-1";
        }

        public Tier getTier() {
            return Tier.GOLD;
        }

        public String getURL() {
            return "u";
        }
    }

    private final PlainValueArgumentReader reader = new PlainValueArgumentReader();

    private static ToolMethod tool(String... names) {
        return new ToolMethod("t", "C", "m", "C#m()", Arrays.asList(names), "guarded-tool");
    }

    @Test
    void argumentsAreNamedByParameterAndNumbersWidened() {
        ArgumentReader.Result r = reader.read(tool("customer_id", "amount", "count"), new Object[]{"c1", 1.5f, 3});

        assertThat(r.args()).containsExactly(Map.entry("customer_id", "c1"), Map.entry("amount", 1.5), Map.entry("count", 3L));
    }

    @Test
    void plumbingParametersWithoutANameAreLeftOut() {
        ArgumentReader.Result r = reader.read(tool("query", null), new Object[]{"q", new Object()});

        assertThat(r.args()).containsOnlyKeys("query");
    }

    @Test
    void recordsBeansEnumsOptionalsAndValueTypesBecomePlainValues() {
        UUID id = UUID.fromString("6f1c9a6e-0f7e-4a8e-9d0e-2b2a3c4d5e6f");
        ArgumentReader.Result r = reader.read(tool("line", "account", "note", "when", "id", "price", "tags"), new Object[]{
                new Line("sku-1", 2), new Account(), Optional.empty(), LocalDate.of(2026, 12, 1), id,
                new BigDecimal("12.50"), new String[]{"a", "b"}});

        assertThat(r.ok()).isTrue();
        assertThat(r.args().get("line")).isEqualTo(Map.of("sku", "sku-1", "qty", 2L));
        assertThat(r.args().get("account")).isEqualTo(Map.of("id", "a-1", "tier", "GOLD", "URL", "u"));
        assertThat(r.args().get("note")).isNull();
        assertThat(r.args().get("when")).isEqualTo("2026-12-01");
        assertThat(r.args().get("id")).isEqualTo(id.toString());
        assertThat(r.args().get("price")).isEqualTo(12.5);
        assertThat(r.args().get("tags")).isEqualTo(List.of("a", "b"));
    }

    @Test
    void aValueThatContainsItselfCannotBeReadAndSaysWhere() {
        Map<String, Object> order = new HashMap<>();
        List<Object> lines = new ArrayList<>();
        lines.add(order);
        order.put("lines", lines);

        ArgumentReader.Result r = reader.read(tool("order"), new Object[]{order});

        assertThat(r.ok()).isFalse();
        assertThat(r.field()).isEqualTo("/order/lines/0");
        assertThat(r.problem()).contains("contains itself");
    }

    @Test
    void theSameObjectTwiceSideBySideIsNotACycle() {
        Line line = new Line("s", 1);

        ArgumentReader.Result r = reader.read(tool("a", "b"), new Object[]{List.of(line, line), line});

        assertThat(r.ok()).isTrue();
    }

    @Test
    void anObjectWithNoPropertiesCannotBeRead() {
        ArgumentReader.Result r = reader.read(tool("stream"), new Object[]{new Object()});

        assertThat(r.ok()).isFalse();
        assertThat(r.field()).isEqualTo("/stream");
        assertThat(r.problem()).contains("java.lang.Object");
    }

    @Test
    void aFrameworksMapOfArgumentsIsReadTheSameWay() {
        ArgumentReader.Result r = PlainValueArgumentReader.readMap(Map.of("amount", 200, "tags", List.of(Tier.GOLD)));

        assertThat(r.args()).isEqualTo(Map.of("amount", 200L, "tags", List.of("GOLD")));
    }

    @Test
    void aConvertedValueIsTheMapsAndTheCallersArrayStaysAsItWas() {
        Line line = new Line("sku-1", 2);
        Object[] raw = {"c1", line, 7};

        ArgumentReader.Result r = reader.read(tool("customer_id", "line", "count"), raw);

        assertThat(r.args()).containsExactly(Map.entry("customer_id", "c1"),
                Map.entry("line", Map.of("sku", "sku-1", "qty", 2L)), Map.entry("count", 7L));
        assertThat(raw).containsExactly("c1", line, 7);
    }

    @Test
    void theArgumentsCannotBeChangedAfterReading() {
        ArgumentReader.Result r = reader.read(tool("amount"), new Object[]{150.0});

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.args().put("amount", 1.0))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(r.args()).containsExactly(Map.entry("amount", 150.0));
    }

    @Test
    void aPlumbingValueIsNotReachableThroughAnyViewOfTheMap() {
        Object plumbing = new Object();
        Map<String, Object> args = reader.read(tool(null, "query", null), new Object[]{plumbing, "q", plumbing}).args();

        assertThat(args).hasSize(1).containsExactly(Map.entry("query", "q"));
        assertThat(args.values()).containsExactly("q");
        assertThat(args.containsKey(null)).isFalse();
        assertThat(args.get(null)).isNull();
        List<Object> walked = new ArrayList<>();
        args.forEach((k, v) -> walked.add(v));
        assertThat(walked).containsExactly("q");
        assertThat(args).isEqualTo(Map.of("query", "q")).hasSameHashCodeAs(Map.of("query", "q"));
    }

    @Test
    void aNameGivenTwiceKeepsTheLaterValueAndValuesWithoutANameAreArgN() {
        assertThat(reader.read(tool("a", "a"), new Object[]{"first", "second"}).args())
                .containsExactly(Map.entry("a", "second"));
        assertThat(reader.read(tool("a"), new Object[]{"x", "y"}).args())
                .containsExactly(Map.entry("a", "x"), Map.entry("arg1", "y"));
    }

    @Test
    void aNullArgumentIsPresentWithANullValue() {
        Map<String, Object> args = reader.read(tool("a", "b"), new Object[]{null, "b"}).args();

        assertThat(args).containsKey("a").hasSize(2);
        assertThat(args.get("a")).isNull();
        assertThat(args.get("c")).isNull();
    }
}
