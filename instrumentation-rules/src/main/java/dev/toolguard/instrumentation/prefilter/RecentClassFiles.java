package dev.toolguard.instrumentation.prefilter;

import java.lang.ref.WeakReference;

/**
 * Super types' class files as the last few reads found them, so that the two first tests of one loading class
 * ({@link ToolPrefilter} and {@link ImplementationTest}, each following the same super types) read each one once.
 *
 * <p>Why: both tests follow a class's super types that have not loaded yet (the JVM loads a super class only after the
 * loading class's transformers ran), and each keeps its own answers, so without this every such super type is read
 * twice, one read right after the other. A read goes through the class's loader as a resource, and a framework's
 * loader makes that slow: the Spring AI sample's start read 408 super types twice, 813 reads in about 390 ms on the
 * loading threads. The reads a transformation makes come close together, so a few entries are enough; they are kept
 * briefly and for nothing else, so memory stays a few class files, and a class loader is not kept alive by them.
 *
 * <p>Only class files that were found are kept: a type that could not be read is asked for again, as before. The
 * arrays handed out are shared between callers, which only read them.
 */
public final class RecentClassFiles implements ToolPrefilter.ClassFiles {

    /** Enough for a class's chain of super types in both tests; a longer chain only reads again, as before. */
    static final int ENTRIES = 32;

    private final ToolPrefilter.ClassFiles source;
    private final Entry[] entries = new Entry[ENTRIES];
    private int next;

    public RecentClassFiles(ToolPrefilter.ClassFiles source) {
        this.source = source;
    }

    private record Entry(WeakReference<ClassLoader> loader, String name, byte[] classFile) {
        boolean is(ClassLoader l, String n) {
            return loader.get() == l && name.equals(n);
        }
    }

    @Override
    public byte[] find(ClassLoader loader, String binaryName) {
        // the bootstrap loader is null; a WeakReference to null never matches a live loader, so those are not kept
        if (loader != null) {
            synchronized (entries) {
                for (Entry e : entries) {
                    if (e != null && e.is(loader, binaryName)) {
                        return e.classFile();
                    }
                }
            }
        }
        byte[] found = source.find(loader, binaryName);
        if (found != null && loader != null) {
            synchronized (entries) {
                entries[next] = new Entry(new WeakReference<>(loader), binaryName, found);
                next = (next + 1) % ENTRIES;
            }
        }
        return found;
    }
}
