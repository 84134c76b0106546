package dev.toolguard.agent.context;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Source {@code mdc}: the application's SLF4J MDC of the calling thread, keys mapped to context paths
 * ({@code {user.id: userId}}). The agent's own SLF4J is relocated and is not the application's, so the MDC is
 * reached reflectively through the class loader of the tool's class; the lookup is cached per class (weakly),
 * and an application without SLF4J simply contributes nothing. Reading it takes no lock: a call without a
 * receiver (a static tool, a framework's named call) finds its loader's lookup in a copy-on-write array.
 */
public final class MdcContextSource implements ContextSource {

    public static final String NAME = "mdc";

    // Built at run time so that relocating the agent's own SLF4J does not rewrite this name to ours.
    private static final String MDC_CLASS = String.join(".", "org", "slf4j", "MDC");

    private static final ClassValue<Optional<MethodHandle>> BY_CLASS = new ClassValue<>() {
        @Override
        protected Optional<MethodHandle> computeValue(Class<?> type) {
            return mdcGet(type.getClassLoader());
        }
    };
    /** Loaders remembered for calls without a receiver; beyond this many, lookups are made afresh each time. */
    static final int MAX_LOADERS = 64;

    private record Cached(WeakReference<ClassLoader> loader, Optional<MethodHandle> get) {
    }

    private static volatile Cached[] byLoader = new Cached[0];

    private final Map<String, String> pathToKey;

    MdcContextSource(Map<String, String> pathToKey) {
        this.pathToKey = Map.copyOf(pathToKey);
    }

    @Override
    public void contribute(CallSite call, ContextTree ctx) {
        Optional<MethodHandle> get = mdcGetFor(call);
        if (get.isEmpty()) {
            return;
        }
        MethodHandle h = get.get();
        for (Map.Entry<String, String> e : pathToKey.entrySet()) {
            try {
                ctx.put(e.getKey(), (String) h.invokeExact(e.getValue()));
            } catch (Throwable t) {
                // an MDC that cannot be read contributes nothing for that key: absent, never empty
            }
        }
    }

    private static Optional<MethodHandle> mdcGetFor(CallSite call) {
        if (call.self() != null && call.self().getClass().getClassLoader() != null) {
            return BY_CLASS.get(call.self().getClass());
        }
        return forLoader(call.applicationLoader());
    }

    static Optional<MethodHandle> forLoader(ClassLoader loader) {
        for (Cached c : byLoader) {
            if (c.loader().get() == loader) {
                return c.get();
            }
        }
        Optional<MethodHandle> get = mdcGet(loader);
        remember(loader, get);
        return get;
    }

    /** Only the first call from a new loader gets here; writers take turns, readers never wait. */
    private static synchronized void remember(ClassLoader loader, Optional<MethodHandle> get) {
        List<Cached> live = new ArrayList<>();
        for (Cached c : byLoader) {
            ClassLoader known = c.loader().get();
            if (known == loader) {
                return;
            }
            if (known != null) {
                live.add(c);
            }
        }
        if (live.size() < MAX_LOADERS) {
            live.add(new Cached(new WeakReference<>(loader), get));
        }
        byLoader = live.toArray(new Cached[0]);
    }

    private static Optional<MethodHandle> mdcGet(ClassLoader loader) {
        try {
            Class<?> mdc = Class.forName(MDC_CLASS, false, loader);
            return Optional.of(MethodHandles.publicLookup()
                    .findStatic(mdc, "get", MethodType.methodType(String.class, String.class)));
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return Optional.empty();
        }
    }

    static final class Factory implements ContextSourceFactory {
        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ContextSource create(Map<String, String> mapping, Consumer<String> problem) {
            return new MdcContextSource(mapping);
        }
    }
}
