package dev.toolguard.policy.values;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one canonical JSON: what approval tickets and limit keys compare. */
class CanonicalJsonTest {

    @Test
    void numbersAreWrittenByValue() {
        assertThat(CanonicalJson.of(200)).isEqualTo("200");
        assertThat(CanonicalJson.of(200L)).isEqualTo("200");
        assertThat(CanonicalJson.of(200.0)).isEqualTo("200");
        assertThat(CanonicalJson.of(new BigDecimal("200.00"))).isEqualTo("200");
        assertThat(CanonicalJson.of(BigInteger.valueOf(200))).isEqualTo("200");
        assertThat(CanonicalJson.of(0.1)).isEqualTo("0.1");
        assertThat(CanonicalJson.of(1e20)).isEqualTo("100000000000000000000");
    }

    @Test
    void exactDecimalsKeepEveryDigit() {
        assertThat(CanonicalJson.of(new BigDecimal("200.0000000000000001"))).isEqualTo("200.0000000000000001");
        assertThat(CanonicalJson.of(Map.of("amount", new BigDecimal("200.0000000000000001"))))
                .isNotEqualTo(CanonicalJson.of(Map.of("amount", 200)));
    }

    @Test
    void keysAreSortedAndStringsEscaped() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of(true, "x\"y\n"));
        m.put("a", null);

        assertThat(CanonicalJson.of(m)).isEqualTo("{\"a\":null,\"b\":[true,\"x\\\"y\\n\"]}");
    }

    @Test
    void notANumberIsTextNotAnError() {
        assertThat(CanonicalJson.of(Double.NaN)).isEqualTo("\"NaN\"");
    }

    @Test
    void aValueThatIsNotJsonLikeHasNoCanonicalForm() {
        assertThatThrownBy(() -> CanonicalJson.of(Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a JSON-like value");
    }

    @Test
    void nestingBeyondAnyCheckedCallIsRefused() {
        Object deep = "x";
        for (int i = 0; i <= CanonicalJson.MAX_DEPTH + 1; i++) {
            List<Object> l = new ArrayList<>();
            l.add(deep);
            deep = l;
        }
        Object tooDeep = deep;

        assertThatThrownBy(() -> CanonicalJson.of(tooDeep)).isInstanceOf(IllegalArgumentException.class);
    }
}
