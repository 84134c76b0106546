package dev.toolguard.agent.reload;

import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.load.PolicyBundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PolicyReloaderTest {

    private final AtomicReference<String> content = new AtomicReference<>("a");
    private final AtomicReference<LoadResult> nextLoad = new AtomicReference<>(ok("sha-a"));
    private final AtomicInteger loads = new AtomicInteger();
    private final ActivePolicy active = new ActivePolicy("no policy loaded: none configured");
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> adopted = new CopyOnWriteArrayList<>();
    private final PolicyReloader reloader = new PolicyReloader(
            () -> new SourceWatcher.Fingerprint(content.get(), List.of()),
            () -> {
                loads.incrementAndGet();
                LoadResult r = nextLoad.get();
                if (r == null) {
                    throw new IllegalStateException("loader exploded");
                }
                return r;
            },
            PolicyEngine::new, active, new ReloadListener() {
                @Override
                public void adopting(PolicyBundle bundle) {
                    PolicyBundle deciding = active.current().bundle();
                    adopted.add("adopting " + bundle.version() + " while " + (deciding == null ? "none" : deciding.version())
                            + " decides");
                }

                @Override
                public void loaded(PolicyBundle bundle) {
                    events.add("loaded " + bundle.version());
                }

                @Override
                public void rejected(List<LoadError> errors) {
                    events.add("rejected " + errors);
                }

                @Override
                public void recovered(PolicyBundle deciding) {
                    events.add("recovered " + deciding.version());
                }
            });

    @AfterEach
    void stop() {
        reloader.stop();
    }

    /** A real bundle whose version label names it; the same label gives the same content, so the same sha256. */
    private static LoadResult ok(String label) {
        LoadResult r = BundleLoader.loadTexts(Map.of("p.yaml", "apiVersion: toolguard.dev/v1\nkind: Policy\n"
                + "metadata: {name: support-agent, version: \"" + label + "\"}\ntools:\n  ping: {action: allow}\n"));
        assertThat(r.ok()).as(r.errors().toString()).isTrue();
        return r;
    }

    private static LoadResult broken() {
        return new LoadResult(null, List.of(new LoadError("p.yaml", 3, 5, "unknown key 'acton'")));
    }

    @Test
    void aChangedBundleThatLoadsIsSwappedIn() {
        reloader.seen(new SourceWatcher.Fingerprint("a", List.of()));
        content.set("b");
        nextLoad.set(ok("sha-b"));

        assertThat(reloader.checkNow()).isTrue();

        assertThat(active.current().bundle().version()).isEqualTo("sha-b");
        assertThat(events).containsExactly("loaded sha-b");
    }

    /**
     * What must survive a crash from the new bundle's first decision (its last good copy, the signed revision floor)
     * is kept before the swap: a process killed right after deciding under revision N refuses N-1 at its next start.
     */
    @Test
    void theListenerKeepsTheNewBundleBeforeItDecides() {
        reloader.checkNow();
        content.set("b");
        nextLoad.set(ok("sha-b"));

        reloader.checkNow();

        assertThat(adopted).containsExactly("adopting sha-a while none decides", "adopting sha-b while sha-a decides");
        assertThat(events).containsExactly("loaded sha-a", "loaded sha-b");
    }

    @Test
    void unchangedSourcesAreNotLoadedAgain() {
        reloader.seen(new SourceWatcher.Fingerprint("a", List.of()));

        assertThat(reloader.checkNow()).isFalse();

        assertThat(loads).hasValue(0);
    }

    @Test
    void aBrokenBundleKeepsTheLastGoodAndIsReported() {
        reloader.checkNow();
        content.set("b");
        nextLoad.set(broken());

        assertThat(reloader.checkNow()).isFalse();

        assertThat(active.current().bundle().version()).isEqualTo("sha-a");
        assertThat(active.current().lastErrors()).extracting(LoadError::toString)
                .containsExactly("p.yaml:3:5: unknown key 'acton'");
        assertThat(events).containsExactly("loaded sha-a", "rejected [p.yaml:3:5: unknown key 'acton']");
    }

    @Test
    void aBrokenEditUndoneToTheDecidingContentClearsTheErrorAndSaysSo() {
        reloader.checkNow();
        content.set("b");
        nextLoad.set(broken());
        reloader.checkNow();
        assertThat(active.current().lastErrors()).isNotEmpty();

        content.set("a again"); // the file is put back as it was: the same bundle, sha256 and all
        nextLoad.set(ok("sha-a"));

        assertThat(reloader.checkNow()).isFalse(); // nothing new decides
        assertThat(active.current().bundle().version()).isEqualTo("sha-a");
        assertThat(active.current().lastErrors()).isEmpty();
        assertThat(active.current().lastErrorAt()).isNull();
        assertThat(events).containsExactly("loaded sha-a", "rejected [p.yaml:3:5: unknown key 'acton']",
                "recovered sha-a");
    }

    @Test
    void anUnchangedBundleWithoutAnErrorBeforeIsNoRecovery() {
        reloader.checkNow();
        content.set("touched");

        assertThat(reloader.checkNow()).isFalse();

        assertThat(events).containsExactly("loaded sha-a");
    }

    @Test
    void aBrokenBundleIsTriedAgainOnlyAfterTheNextChange() {
        reloader.checkNow();
        content.set("b");
        nextLoad.set(broken());
        reloader.checkNow();
        reloader.checkNow();
        assertThat(loads).hasValue(2);

        content.set("c");
        nextLoad.set(ok("sha-c"));
        reloader.checkNow();

        assertThat(loads).hasValue(3);
        assertThat(active.current().bundle().version()).isEqualTo("sha-c");
        assertThat(active.current().lastErrors()).isEmpty();
    }

    @Test
    void aChangeThatLoadsTheSameBundleSwapsNothing() {
        reloader.checkNow();
        PolicyEngine before = active.current().engine();
        content.set("a-with-new-timestamp");

        assertThat(reloader.checkNow()).isFalse();

        assertThat(active.current().engine()).isSameAs(before);
        assertThat(events).containsExactly("loaded sha-a");
    }

    @Test
    void aLoaderThatThrowsIsARejectedBundle() {
        reloader.checkNow();
        content.set("b");
        nextLoad.set(null);

        reloader.checkNow();

        assertThat(active.current().bundle().version()).isEqualTo("sha-a");
        assertThat(events).hasSize(2).last().asString().startsWith("rejected");
    }

    @Test
    void thePollerPicksUpAChangeOnItsOwn() {
        reloader.seen(new SourceWatcher.Fingerprint("a", List.of()));
        reloader.start(Duration.ofMillis(20));

        // the bundle first, then the change: a poll between the two would otherwise load the old bundle for "b"
        nextLoad.set(ok("sha-b"));
        content.set("b");

        await().atMost(Duration.ofSeconds(5)).until(() -> active.current().loaded()
                && active.current().bundle().version().equals("sha-b"));
    }

    @Test
    void aZeroIntervalNeverPolls() {
        reloader.seen(new SourceWatcher.Fingerprint("a", List.of()));
        reloader.start(Duration.ZERO);
        content.set("b");

        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("toolguard-policy-reload"));
        assertThat(loads).hasValue(0);
    }
}
