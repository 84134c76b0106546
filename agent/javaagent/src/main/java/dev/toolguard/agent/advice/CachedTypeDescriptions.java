package dev.toolguard.agent.advice;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * Type descriptions read from class files, kept per class loader between classes. Deciding whether a class holds
 * tools walks its supertypes (a tool may be an override of an annotated interface method), so without a cache every
 * class the application loads had its whole hierarchy looked up and parsed again: for a Spring application, the same
 * framework base classes and interfaces thousands of times over, most of the agent's cost at start.
 *
 * <p>Each loader's cache is softly held ({@link TypePool.CacheProvider.Simple.UsingSoftReference}): the garbage
 * collector clears it before memory runs short, and with it the only reference this map's value held to its loader,
 * so a loader that is dropped is not kept. A class transformed is described from its own bytes first, so a stale
 * description is never used for the class being transformed.
 */
final class CachedTypeDescriptions extends AgentBuilder.PoolStrategy.WithTypePoolCache {

    private final TypePool.CacheProvider bootstrap = new TypePool.CacheProvider.Simple.UsingSoftReference();
    private final Map<ClassLoader, TypePool.CacheProvider> byLoader = new WeakHashMap<>();

    CachedTypeDescriptions() {
        super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader loader) {
        if (loader == null) {
            return bootstrap;
        }
        synchronized (byLoader) {
            return byLoader.computeIfAbsent(loader, l -> new TypePool.CacheProvider.Simple.UsingSoftReference());
        }
    }
}
