package dev.toolguard.agent.reload;

import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gate of the first policy load: a call made while it runs waits for its outcome (bounded), never decides with
 * the empty state before it, and the loading thread never waits for itself.
 */
class ActivePolicyFirstLoadTest {

    private static final String STARTING = "no policy loaded yet: the agent is starting";
    private static final String LATE = "no policy loaded: the first policy load did not finish within"
            + " policy.first_load_wait (200 ms)";

    private final ExecutorService callers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        callers.shutdownNow();
    }

    /** The engine of a real bundle whose version is {@code version}. */
    private static PolicyEngine engine(String version) {
        LoadResult r = BundleLoader.loadTexts(Map.of("p.yaml", "apiVersion: toolguard.dev/v1\nkind: Policy\n"
                + "metadata: {name: support-agent, version: \"" + version + "\"}\ntools:\n  ping: {action: allow}\n"));
        assertThat(r.ok()).as(r.errors().toString()).isTrue();
        return new PolicyEngine(r.bundle());
    }

    @Test
    void aCallMadeDuringTheFirstLoadWaitsAndIsDecidedByWhatItLoaded() {
        ActivePolicy active = ActivePolicy.firstLoadPending(STARTING, Duration.ofMinutes(1), LATE);
        CompletableFuture<ActivePolicy.Snapshot> call = CompletableFuture.supplyAsync(active::current, callers);

        // the load swaps its bundle in, but the call still waits: the load has not said and recorded it yet
        active.swap(engine("sha-first"));
        assertThat(active.latest().bundle().version()).isEqualTo("sha-first");
        await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2)).until(() -> !call.isDone());

        active.firstLoadEnded();
        ActivePolicy.Snapshot seen = call.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(seen.loaded()).isTrue();
        assertThat(seen.bundle().version()).isEqualTo("sha-first");
        assertThat(seen.firstLoadLate()).isFalse();
    }

    @Test
    void severalWaitingCallsAllGoWithTheSameOutcome() {
        ActivePolicy active = ActivePolicy.firstLoadPending(STARTING, Duration.ofMinutes(1), LATE);
        List<CompletableFuture<ActivePolicy.Snapshot>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(active::current, callers));
        }
        active.noPolicyBecause("no policy loaded: the policy failed to load (1 error, see above)");
        active.firstLoadEnded();

        for (CompletableFuture<ActivePolicy.Snapshot> call : calls) {
            ActivePolicy.Snapshot seen = call.orTimeout(10, TimeUnit.SECONDS).join();
            // a first load that loads nothing denies as before: no policy, with its reason
            assertThat(seen.loaded()).isFalse();
            assertThat(seen.noPolicyReason()).isEqualTo("no policy loaded: the policy failed to load (1 error, see above)");
            assertThat(seen.firstLoadLate()).isFalse();
        }
    }

    @Test
    void aCallWaitsNoLongerThanTheBoundAndIsToldTheLoadWasLate() {
        ActivePolicy active = ActivePolicy.firstLoadPending(STARTING, Duration.ofMillis(200), LATE);
        active.swap(engine("sha-too-late"));

        ActivePolicy.Snapshot seen = CompletableFuture.supplyAsync(active::current, callers)
                .orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(seen.loaded()).isFalse();
        assertThat(seen.firstLoadLate()).isTrue();
        assertThat(seen.noPolicyReason()).isEqualTo(LATE);

        // once the load ends, calls are decided by it again
        active.firstLoadEnded();
        assertThat(active.current().bundle().version()).isEqualTo("sha-too-late");
    }

    @Test
    void theLoadingThreadReadsTheStateAsItStandsWithoutWaitingForItself() {
        ActivePolicy active = ActivePolicy.firstLoadPending(STARTING, Duration.ofMinutes(1), LATE);
        CompletableFuture<ActivePolicy.Snapshot> onLoader = CompletableFuture.supplyAsync(() -> {
            active.loadingOn(Thread.currentThread());
            return active.current();
        }, callers);
        ActivePolicy.Snapshot seen = onLoader.orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(seen.noPolicyReason()).isEqualTo(STARTING);
        assertThat(seen.firstLoadLate()).isFalse();
    }

    @Test
    void afterTheFirstLoadChangesDecideAtOnce() {
        ActivePolicy active = ActivePolicy.firstLoadPending(STARTING, Duration.ofMinutes(1), LATE);
        active.firstLoadEnded(); // a load that changed nothing (no source configured): its reason stands
        assertThat(active.current().noPolicyReason()).isEqualTo(STARTING);

        active.swap(engine("sha-reloaded"));
        assertThat(active.current().bundle().version()).isEqualTo("sha-reloaded");
        active.rejected(List.of());
        assertThat(active.current().bundle().version()).isEqualTo("sha-reloaded");
    }

    @Test
    void aPolicyWithNothingToWaitForDecidesAtOnce() {
        ActivePolicy active = new ActivePolicy("no policy loaded: none configured");
        assertThat(active.current().noPolicyReason()).isEqualTo("no policy loaded: none configured");
        active.swap(engine("sha-a"));
        assertThat(active.current().bundle().version()).isEqualTo("sha-a");
    }
}
