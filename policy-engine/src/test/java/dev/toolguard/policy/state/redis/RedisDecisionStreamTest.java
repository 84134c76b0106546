package dev.toolguard.policy.state.redis;

import dev.toolguard.policy.state.DecisionStream;
import dev.toolguard.policy.state.SharedState;
import dev.toolguard.policy.state.StateUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The fleet view's stream on a real Redis: records in order with their replica, capped, on connections of its own. */
class RedisDecisionStreamTest {

    RedisServer redis;
    RedisSharedState store;

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        store = new RedisSharedState(new RedisSettings(URI.create(redis.url()), null, "fv:", Duration.ofMillis(200)),
                SharedState.OnUnavailable.DENY, (answering, detail) -> { });
    }

    @AfterEach
    void stop() throws Exception {
        if (store != null) {
            store.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void recordsAreReadBackInOrderWithTheirReplicaAndAfterAnyEntry() throws Exception {
        DecisionStream stream = store.decisionStream();
        stream.publish(stream.replica(), List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"));

        List<DecisionStream.Entry> all = stream.read(null, 0, 100);
        assertThat(all).extracting(DecisionStream.Entry::record).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(all).extracting(DecisionStream.Entry::replica).containsOnly(stream.replica());
        assertThat(stream.replica()).endsWith(":" + ProcessHandle.current().pid());
        assertThat(stream.read(all.get(0).id(), 0, 100)).extracting(DecisionStream.Entry::record)
                .containsExactly("{\"n\":2}", "{\"n\":3}");
        assertThat(stream.read(all.get(2).id(), 0, 100)).isEmpty();
        assertThat(stream.read(null, System.currentTimeMillis() + 60_000, 100)).isEmpty();
        try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
            assertThat(j.type("fv:records")).isEqualTo("stream");
        }
        // the fleet view runs no script: a call's one EVALSHA stays its only round trip
        assertThat(redis.calls("evalsha")).isZero();
        assertThat(redis.calls("xadd")).isEqualTo(3);
    }

    @Test
    void theStreamIsCapped() throws Exception {
        RedisDecisionStream small = new RedisDecisionStream(store.address(),
                store.clientConfig(1000).socketTimeoutMillis(1000).build(),
                store.clientConfig(1000).socketTimeoutMillis(0).build(), "cap:", "test", 100);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add("{\"n\":" + i + "}");
        }
        small.publish("r", many);
        small.close();
        try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
            // MAXLEN ~ trims whole nodes of entries: about the cap, never the whole history
            assertThat(j.xlen("cap:records")).isBetween(100L, 300L);
        }
    }

    @Test
    void aRedisThatDoesNotAnswerFailsTheStreamAloneAndTheStreamWorksAgainWhenItAnswers() throws Exception {
        DecisionStream stream = store.decisionStream();
        redis.stop();

        assertThatThrownBy(() -> stream.publish(stream.replica(), List.of("{\"n\":1}"))).isInstanceOf(StateUnavailableException.class)
                .hasMessageStartingWith("the fleet view's stream cannot be written");
        assertThatThrownBy(() -> stream.read(null, 0, 10)).isInstanceOf(StateUnavailableException.class);
        // the calls' store learns of Redis from the calls' own round trips, never from the fleet view
        assertThat(store.answering()).isTrue();

        redis.restart();
        stream.publish(stream.replica(), List.of("{\"n\":2}"));
        assertThat(stream.read(null, 0, 10)).extracting(DecisionStream.Entry::record).contains("{\"n\":2}");
    }

    @Test
    void aConsoleThatWantsRecordsIsHeardByEveryListenerThroughOneSubscriptionMadeAtStart() throws Exception {
        DecisionStream stream = store.decisionStream();
        AtomicInteger heardA = new AtomicInteger();
        AtomicInteger heardB = new AtomicInteger();
        stream.onWanted(heardA::incrementAndGet);
        stream.onWanted(heardB::incrementAndGet);
        // subscribed once, before onWanted returned; listening sends nothing more
        assertThat(redis.calls("subscribe")).isEqualTo(1);

        stream.want();
        await().atMost(Duration.ofSeconds(5)).until(() -> heardA.get() == 1 && heardB.get() == 1);
        assertThat(redis.calls("publish")).isEqualTo(1); // the console's one ask
        try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
            j.publish("fv:fleet-view", "something else"); // only the console's word counts
            j.publish("fv:fleet-view", "wanted");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> heardA.get() == 2);
        assertThat(heardB.get()).isEqualTo(2);

        // Redis restarted: subscribed again, without being asked
        redis.stop();
        assertThatThrownBy(stream::want).isInstanceOf(StateUnavailableException.class)
                .hasMessageStartingWith("the fleet view cannot be asked for");
        redis.restart();
        await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
            stream.want();
            return heardA.get() >= 3;
        });
    }

    @Test
    void theNextIdFollowsItsEntry() {
        assertThat(RedisDecisionStream.next("1700000000000-0")).isEqualTo("1700000000000-1");
        assertThat(RedisDecisionStream.next("5-" + Long.MAX_VALUE)).isEqualTo("6-0");
    }
}
