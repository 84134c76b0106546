package dev.toolguard.policy.values;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode write(Redaction redaction, Object value) throws Exception {
        String text = new JsonWriter(redaction).value(value).toString();
        return JSON.readTree(text);
    }

    @Test
    void redactsListedKeysCaseInsensitivelyAtAnyDepth() throws Exception {
        Map<String, Object> value = Map.of("API_KEY", "k1",
                "nested", List.of(Map.of("Secret", Map.of("deep", "s1"), "kept", "visible")));

        JsonNode node = write(Redaction.DEFAULT, value);

        assertThat(node.get("API_KEY").asText()).isEqualTo("[REDACTED]");
        assertThat(node.get("nested").get(0).get("Secret").asText()).isEqualTo("[REDACTED]");
        assertThat(node.get("nested").get(0).get("kept").asText()).isEqualTo("visible");
    }

    @Test
    void cutsLongStringsAndSaysHowMuchWasCut() throws Exception {
        JsonNode node = write(Redaction.of(List.of(), 5), "abcdefghij");

        assertThat(node.asText()).isEqualTo("abcde[TRUNCATED +5 chars]");
    }

    @Test
    void neverCutsASurrogatePairInHalf() throws Exception {
        JsonNode node = write(Redaction.of(List.of(), 2), "a\uD83D\uDE00b");

        assertThat(node.asText()).isEqualTo("a[TRUNCATED +3 chars]");
    }

    @Test
    void marksACycleInsteadOfRecursing() throws Exception {
        Map<String, Object> loop = new HashMap<>();
        loop.put("self", loop);

        JsonNode node = write(Redaction.DEFAULT, loop);

        assertThat(node.get("self").asText()).isEqualTo(JsonWriter.CYCLE);
    }

    @Test
    void marksValuesNestedTooDeep() throws Exception {
        Object value = "leaf";
        for (int i = 0; i < 100; i++) {
            value = List.of(value);
        }

        JsonNode node = write(Redaction.DEFAULT, value);

        JsonNode at = node;
        for (int i = 0; i < 32; i++) {
            at = at.get(0);
        }
        assertThat(at.asText()).isEqualTo(JsonWriter.TOO_DEEP);
    }

    @Test
    void capsHugeListsAndMapsWithACountOfWhatWasDropped() throws Exception {
        List<Integer> list = new ArrayList<>();
        Map<String, Integer> map = new LinkedHashMap<>();
        for (int i = 0; i < 1005; i++) {
            list.add(i);
            map.put("k" + i, i);
        }

        JsonNode node = write(Redaction.DEFAULT, Map.of("list", list, "map", map));

        assertThat(node.get("list")).hasSize(1001);
        assertThat(node.get("list").get(1000).asText()).isEqualTo("[TRUNCATED +5 items]");
        assertThat(node.get("map").get(JsonWriter.TRUNCATED_KEY).asInt()).isEqualTo(5);
    }

    @Test
    void escapesControlCharactersAndKeepsUnicode() throws Exception {
        String tricky = "quote\" back\\ nl\n tab\t nul\u0000 é 中 \uD83D\uDE00";

        JsonNode node = write(Redaction.DEFAULT, Map.of("s", tricky));

        assertThat(node.get("s").asText()).isEqualTo(tricky);
    }

    @Test
    void writesNumbersAsNumbersAndNonFiniteDoublesAsStrings() throws Exception {
        JsonNode node = write(Redaction.DEFAULT, List.of(1, 2L, 2.5, Double.NaN, new java.math.BigDecimal("1.10")));

        assertThat(node.get(0).isIntegralNumber()).isTrue();
        assertThat(node.get(2).asDouble()).isEqualTo(2.5);
        assertThat(node.get(3).asText()).isEqualTo("NaN");
        assertThat(node.get(4).decimalValue()).isEqualByComparingTo("1.10");
    }

    @Test
    void neverCallsToStringOfUnknownObjects() throws Exception {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("must not be called");
            }
        };

        JsonNode node = write(Redaction.DEFAULT, List.of(hostile));

        assertThat(node.get(0).asText()).startsWith("[UNSUPPORTED ");
    }

    @Test
    void stringsThatShareACacheSlotAreWrittenExactlyRecordAfterRecord() {
        // "Aa" and "BB" have one hash code, so they contest one slot of the writer's cache of repeated strings
        String a = "Aa";
        String b = "BB";
        String escaped = "q\"uote";
        JsonWriter out = new JsonWriter(Redaction.DEFAULT);
        for (int record = 0; record < 20; record++) {
            out.reset();
            out.beginObject().field("first", record % 3 == 0 ? escaped : a).field("second", b).field("third", a)
                    .endObject();

            String expected = "{\"first\":\"" + (record % 3 == 0 ? "q\\\"uote" : "Aa")
                    + "\",\"second\":\"BB\",\"third\":\"Aa\"}";
            assertThat(out.toString()).as("record %d", record).isEqualTo(expected);
        }
    }
}
