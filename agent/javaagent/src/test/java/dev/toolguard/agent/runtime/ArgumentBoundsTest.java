package dev.toolguard.agent.runtime;

import dev.toolguard.instrumentation.ToolMethod;
import dev.toolguard.policy.values.ValueBounds;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** SPEC §13.9: argument conversion stops at its bounds with a denial naming the JSON pointer where it stopped. */
class ArgumentBoundsTest {

    private static final int MIB = 1024 * 1024;

    private final PlainValueArgumentReader reader = new PlainValueArgumentReader();

    private static ToolMethod tool(String... names) {
        return new ToolMethod("t", "C", "m", "C#m()", Arrays.asList(names), "guarded-tool");
    }

    private static List<String> strings(int n) {
        return new ArrayList<>(Collections.nCopies(n, "a"));
    }

    @Test
    void aListPastMaxItemsStopsAtTheFirstItemOverTheBound() {
        ArgumentReader.Result r = reader.read(tool("items"), new Object[]{strings(100_001)});

        assertThat(r.ok()).isFalse();
        assertThat(r.field()).isEqualTo("/items/100000");
        assertThat(r.problem()).contains("arguments.max_items").contains("100000");
    }

    @Test
    void exactlyMaxItemsIsRead() {
        ArgumentReader.Result r = reader.read(tool("items"), new Object[]{strings(100_000)});

        assertThat(r.ok()).isTrue();
        assertThat((List<?>) r.args().get("items")).hasSize(100_000);
    }

    @Test
    void aStringPastMaxStringIsDeniedNamingItsArgument() {
        ArgumentReader.Result r = reader.read(tool("id", "note"), new Object[]{"c1", "x".repeat(MIB + 1)});

        assertThat(r.ok()).isFalse();
        assertThat(r.field()).isEqualTo("/note");
        assertThat(r.problem()).contains("arguments.max_string").contains(Integer.toString(MIB + 1));
    }

    @Test
    void aLongStringInsideAContainerIsNamedWhereItIs() {
        ArgumentReader.Result r = reader.read(tool("order"),
                new Object[]{Map.of("lines", List.of("ok", new StringBuilder("y".repeat(MIB + 1))))});

        assertThat(r.field()).isEqualTo("/order/lines/1");
        assertThat(r.problem()).contains("arguments.max_string");
    }

    @Test
    void nestingPastMaxDepthIsDeniedAtTheLevelItStopped() {
        PlainValueArgumentReader shallow = new PlainValueArgumentReader(new ValueBounds(3, 100, 100));
        Object deep = List.of(List.of(List.of(List.of("too deep"))));

        ArgumentReader.Result r = shallow.read(tool("tree"), new Object[]{deep});

        assertThat(r.field()).isEqualTo("/tree/0/0/0");
        assertThat(r.problem()).contains("arguments.max_depth").contains("3");
        assertThat(shallow.read(tool("tree"), new Object[]{List.of(List.of(List.of("fits")))}).ok()).isTrue();
    }

    @Test
    void sharedSubValuesCannotMultiplyTheWork() {
        List<Object> level = List.of("lol");
        for (int i = 0; i < 30; i++) { // 10^30 values if every shared list were read again
            level = Collections.nCopies(10, level);
        }
        Object bomb = level;

        ArgumentReader.Result r = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> reader.read(tool("bomb"), new Object[]{bomb}));

        assertThat(r.ok()).isFalse();
        assertThat(r.problem()).contains("arguments.max_items");
        assertThat(r.field()).startsWith("/bomb/");
    }

    @Test
    void itemsCountAcrossAllOfACallsArguments() {
        PlainValueArgumentReader small = new PlainValueArgumentReader(new ValueBounds(8, 10, 100));

        ArgumentReader.Result r = small.read(tool("a", "b"), new Object[]{strings(6), strings(6)});

        assertThat(r.field()).isEqualTo("/b/4");
    }

    @Test
    void aLongMapKeyIsDeniedAtItsMap() {
        PlainValueArgumentReader small = new PlainValueArgumentReader(new ValueBounds(8, 10, 5));

        ArgumentReader.Result r = small.read(tool("m"), new Object[]{Map.of("longer-than-five", 1)});

        assertThat(r.field()).isEqualTo("/m");
        assertThat(r.problem()).contains("key longer than arguments.max_string");
    }

    @Test
    void pointerSegmentsAreEscaped() {
        PlainValueArgumentReader small = new PlainValueArgumentReader(new ValueBounds(8, 10, 5));

        ArgumentReader.Result r = small.read(tool("m"), new Object[]{Map.of("a/b~c", "longer")});

        assertThat(r.field()).as(r.problem()).isEqualTo("/m/a~1b~0c");
    }

    @Test
    void namedArgumentMapsAreBoundedToo() {
        ArgumentReader.Result r = reader.readNamed(Map.of("items", strings(100_001)));

        assertThat(r.field()).isEqualTo("/items/100000");
        assertThat(r.problem()).contains("arguments.max_items");
    }

    @Test
    void namedJsonTextPastMaxItemsStopsAtItsPointer() {
        String json = "{\"items\": [" + String.join(",", Collections.nCopies(100_001, "1")) + "]}";

        ArgumentReader.Result r = reader.readNamed(json);

        assertThat(r.ok()).isFalse();
        assertThat(r.field()).isEqualTo("/items/100000");
        assertThat(r.problem()).contains("arguments.max_items");
    }

    @Test
    void namedJsonTextWithALongStringNamesIt() {
        ArgumentReader.Result r = reader.readNamed("{\"id\": \"c1\", \"note\": \"" + "x".repeat(MIB + 1) + "\"}");

        assertThat(r.field()).isEqualTo("/note");
        assertThat(r.problem()).contains("arguments.max_string");
    }

    @Test
    void namedJsonTextNestedAThousandTimesDeepIsDeniedNotAStackOverflow() {
        String json = "{\"tree\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        ArgumentReader.Result r = reader.readNamed(json);

        assertThat(r.ok()).isFalse();
        assertThat(r.problem()).contains("arguments.max_depth");
        assertThat(r.field()).startsWith("/tree/0/0/0");
    }

    @Test
    void namedJsonTextWithinTheBoundsIsReadAsBefore() {
        ArgumentReader.Result r = reader.readNamed("{\"customer_id\": \"c1\", \"amount\": 150, \"tags\": [\"a\"]}");

        assertThat(r.args()).containsExactly(Map.entry("customer_id", "c1"), Map.entry("amount", 150L),
                Map.entry("tags", List.of("a")));
    }

    @Test
    void namedJsonTextWithTooManyArgumentsIsDenied() {
        PlainValueArgumentReader small = new PlainValueArgumentReader(new ValueBounds(8, 2, 100));

        ArgumentReader.Result r = small.readNamed("{\"a\": 1, \"b\": 2, \"c\": 3}");

        assertThat(r.field()).isEqualTo("/c");
        assertThat(r.problem()).contains("arguments.max_items");
    }
}
