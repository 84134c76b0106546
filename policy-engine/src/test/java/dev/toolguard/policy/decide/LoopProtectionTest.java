package dev.toolguard.policy.decide;

import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.state.EngineState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop protection pattern of docs/limits.md, on the documented policy itself: a rate limit keyed by the
 * session and the arguments ({@code key: [ctx.session.id, args]}) stops an agent repeating one call, and
 * only that call.
 */
class LoopProtectionTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "examples", "limits", "policies");

    private final ManualTime time = new ManualTime(1_700_000_000_000L);
    private final PolicyEngine engine = new PolicyEngine(documentedBundle(), EngineState.inMemory(time));

    private static PolicyBundle documentedBundle() {
        LoadResult loaded = BundleLoader.load(List.of(EXAMPLE.toString()));
        assertThat(loaded.errors()).isEmpty();
        return loaded.bundle();
    }

    private static ToolCall search(String session, Map<String, Object> args) {
        return new ToolCall("search.web", args, Map.of("session", Map.of("id", session)));
    }

    private Decision searchThreeTimesThenOnceMore(String session, Map<String, Object> args) {
        for (int i = 0; i < 3; i++) {
            assertThat(engine.decide(search(session, args)).action()).isEqualTo(Action.ALLOW);
        }
        return engine.decide(search(session, args));
    }

    @Test
    void theSameCallRepeatedInASessionIsDeniedOnceItsLimitIsReached() {
        Decision fourth = searchThreeTimesThenOnceMore("s1", Map.of("query", "weather in Lyon"));

        assertThat(fourth.action()).isEqualTo(Action.DENY);
        assertThat(fourth.rule()).isEqualTo("tools.search.web.rate_limit");
        assertThat(fourth.reason()).isEqualTo("rate limit reached: at most 3 calls per 10m");
        assertThat(fourth.enforced()).isTrue();
    }

    @Test
    void aDifferentCallInTheSameSessionStillPasses() {
        searchThreeTimesThenOnceMore("s1", Map.of("query", "weather in Lyon"));

        Decision other = engine.decide(search("s1", Map.of("query", "weather in Paris")));

        assertThat(other.action()).isEqualTo(Action.ALLOW);
        assertThat(other.rule()).isEqualTo("tools.search.web.rules[0]");
    }

    @Test
    void theSameCallInAnotherSessionHasACountOfItsOwn() {
        searchThreeTimesThenOnceMore("s1", Map.of("query", "weather in Lyon"));

        assertThat(engine.decide(search("s2", Map.of("query", "weather in Lyon"))).action()).isEqualTo(Action.ALLOW);
    }

    @Test
    void argumentsThatAreEqualAsJsonAreTheSameCall() {
        searchThreeTimesThenOnceMore("s1", Map.of("query", "weather", "days", 3));

        Decision reordered = engine.decide(search("s1", new TreeMap<>(Map.of("days", 3.0, "query", "weather"))));

        assertThat(reordered.rule()).isEqualTo("tools.search.web.rate_limit");
    }

    @Test
    void theRepeatedCallIsAllowedAgainAsItsBucketRefills() {
        searchThreeTimesThenOnceMore("s1", Map.of("query", "weather in Lyon"));

        time.advance(Duration.ofSeconds(200)); // 3 tokens per 10 minutes: one every 200 s

        assertThat(engine.decide(search("s1", Map.of("query", "weather in Lyon"))).action()).isEqualTo(Action.ALLOW);
        assertThat(engine.decide(search("s1", Map.of("query", "weather in Lyon"))).action()).isEqualTo(Action.DENY);
    }

    @Test
    void aCallWithoutASessionCannotBeKeyedAndIsDenied() {
        Decision d = engine.decide(new ToolCall("search.web", Map.of("query", "weather"), Map.of("user", Map.of("id", "u1"))));

        assertThat(d.action()).isEqualTo(Action.DENY);
        assertThat(d.rule()).isEqualTo("tools.search.web.rate_limit");
        assertThat(d.reason()).startsWith("the rate limit key could not be computed: ");
    }
}
