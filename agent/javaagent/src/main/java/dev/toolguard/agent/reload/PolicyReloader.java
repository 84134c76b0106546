package dev.toolguard.agent.reload;

import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.load.LoadError;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.load.PolicyBundle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Hot reload (SPEC §10): polls the sources, and when their content changed loads the bundle again. A bundle
 * that loads is swapped in atomically; one that fails changes nothing but is reported, and is tried again
 * only once the sources change again.
 */
public final class PolicyReloader {

    private final Supplier<SourceWatcher.Fingerprint> sources;
    private final Supplier<LoadResult> loader;
    private final Function<PolicyBundle, PolicyEngine> engines;
    private final ActivePolicy active;
    private final ReloadListener listener;
    private final Object checking = new Object();
    private String lastSeen;
    private ScheduledExecutorService poller;

    public PolicyReloader(Supplier<SourceWatcher.Fingerprint> sources, Supplier<LoadResult> loader,
                          Function<PolicyBundle, PolicyEngine> engines, ActivePolicy active, ReloadListener listener) {
        this.sources = sources;
        this.loader = loader;
        this.engines = engines;
        this.active = active;
        this.listener = listener;
    }

    /** Remembers the sources as they were when the deciding bundle was loaded at start. */
    public void seen(SourceWatcher.Fingerprint fingerprint) {
        synchronized (checking) {
            lastSeen = fingerprint.digest();
        }
    }

    /**
     * Looks at the sources once and reloads if they changed.
     *
     * @return true when a new bundle was swapped in
     */
    public boolean checkNow() {
        synchronized (checking) {
            SourceWatcher.Fingerprint now = sources.get();
            if (now.digest().equals(lastSeen)) {
                return false;
            }
            lastSeen = now.digest();
            LoadResult result;
            try {
                result = loader.get();
            } catch (RuntimeException e) {
                result = new LoadResult(null, List.of(new LoadError("(bundle)", 1, 1, "loading failed: " + e)));
            }
            if (result == null || !result.ok()) {
                List<LoadError> errors = result == null || result.errors().isEmpty()
                        ? List.of(new LoadError("(bundle)", 1, 1, "the bundle did not load")) : result.errors();
                active.rejected(errors);
                listener.rejected(errors);
                return false;
            }
            PolicyBundle deciding = active.latest().bundle();
            if (deciding != null && deciding.sha256().equals(result.bundle().sha256())) {
                // the sources are back to what decides: a rejected change in between is over (SPEC §10)
                if (active.recovered()) {
                    listener.recovered(deciding);
                }
                return false;
            }
            PolicyEngine engine;
            try {
                engine = engines.apply(result.bundle());
            } catch (RuntimeException e) {
                List<LoadError> errors = List.of(new LoadError("(bundle)", 1, 1, "the engine could not be built: " + e));
                active.rejected(errors);
                listener.rejected(errors);
                return false;
            }
            listener.adopting(result.bundle());
            active.swap(engine);
            listener.loaded(result.bundle());
            return true;
        }
    }

    /** Polls every {@code every} on a daemon thread; zero means never. */
    public synchronized void start(Duration every) {
        if (every.isZero() || every.isNegative() || poller != null) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "toolguard-policy-reload");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, every.toMillis());
        poller.scheduleWithFixedDelay(this::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (Throwable t) {
            // a throwing task would end the schedule: keep polling whatever went wrong this time
        }
    }
}
