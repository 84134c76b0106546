package dev.toolguard.policy.decide;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever a call holds, deciding answers with a denial and a reason, never an exception. */
class HostileInputTest {

    private final PolicyEngine engine = new PolicyEngine(Policies.bundle(
            "tools:\n  t:\n    action: allow\n    arguments:\n      type: object\n"
                    + "      properties: {note: {type: string, maxLength: 100}}\n      additionalProperties: false\n"));

    private static void assertDeniedWithReason(Decision d) {
        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.reason()).isNotBlank();
        assertThat(d.rule()).isNotBlank();
    }

    @Test
    void nullCallIsDenied() {
        assertDeniedWithReason(engine.decide(null));
    }

    @Test
    void nullToolIsDenied() {
        assertDeniedWithReason(engine.decide(new ToolCall(null, null, null)));
    }

    @Test
    void nullValuesAreDecidedNormally() {
        Map<String, Object> args = new HashMap<>();
        args.put("note", null);

        Decision d = engine.decide(new ToolCall("t", args, Map.of()));

        assertDeniedWithReason(d);
        assertThat(d.rule()).isEqualTo("tools.t.arguments");
        assertThat(d.field()).isEqualTo("/note");
    }

    @Test
    void tenThousandDeepNestingIsDenied() {
        Object deep = "bottom";
        for (int i = 0; i < 10_000; i++) {
            deep = List.of(deep);
        }

        Decision d = engine.decide(new ToolCall("t", Map.of("note", deep), Map.of()));

        assertDeniedWithReason(d);
        assertThat(d.reason()).contains("nested deeper than");
    }

    @Test
    void tenThousandDeepContextIsDenied() {
        Map<String, Object> deep = Map.of();
        for (int i = 0; i < 10_000; i++) {
            deep = Map.of("x", deep);
        }

        assertDeniedWithReason(engine.decide(new ToolCall("t", Map.of(), deep)));
    }

    @Test
    void oneMegabyteStringIsDenied() {
        String huge = "x".repeat(1 << 20);

        Decision d = engine.decide(new ToolCall("t", Map.of("note", huge), Map.of("user", Map.of("id", huge))));

        assertDeniedWithReason(d);
        assertThat(d.field()).isEqualTo("/note");
    }

    @Test
    void notANumberIsDenied() {
        assertDeniedWithReason(engine.decide(new ToolCall("t", Map.of("note", Double.NaN), Map.of())));
    }

    @Test
    void infinityIsDenied() {
        assertDeniedWithReason(engine.decide(new ToolCall("t", Map.of("note", Double.POSITIVE_INFINITY), Map.of())));
    }

    @Test
    void objectOfAnUnknownTypeIsDenied() {
        Decision d = engine.decide(new ToolCall("t", Map.of("note", new Object()), Map.of()));

        assertDeniedWithReason(d);
        assertThat(d.reason()).contains("not a JSON-like value");
    }

    @Test
    void wrongTypeForASchemaFieldIsDenied() {
        assertDeniedWithReason(engine.decide(new ToolCall("t", Map.of("note", List.of(1, 2)), Map.of())));
    }

    @Test
    void wrongTypesInTheContextAreDenied() {
        Map<String, Object> ctx = Map.of("user", Map.of("roles", "admin"), "agent", Map.of("scopes", 42));

        assertDeniedWithReason(engine.decide(new ToolCall("t", Map.of("note", "hi"), ctx)));
    }

    @Test
    void mapContainingItselfIsDenied() {
        Map<String, Object> loop = new HashMap<>();
        loop.put("self", loop);

        assertDeniedWithReason(engine.decide(new ToolCall("t", loop, loop)));
    }

    @Test
    void listContainingItselfIsDenied() {
        List<Object> loop = new ArrayList<>();
        loop.add(loop);

        assertDeniedWithReason(engine.decide(new ToolCall("t", Map.of("note", loop), Map.of())));
    }

    @Test
    void wideSharedStructureIsDeniedWithoutWalkingItExponentially() {
        Object wide = "leaf";
        for (int i = 0; i < 30; i++) {
            wide = Arrays.asList(wide, wide);
        }

        assertDeniedWithReason(engine.decide(new ToolCall("t", Map.of("note", wide), Map.of())));
    }

    @Test
    void hostileInputIsNeverDiscoverable() {
        Map<String, Object> loop = new HashMap<>();
        loop.put("self", loop);

        assertThat(engine.discoverable("t", loop)).isFalse();
    }
}
