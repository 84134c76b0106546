package dev.toolguard.agent.advice;

import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.jar.JarFile;

/**
 * At JVM start, the first test of every class that loads is in place before the agent returns, and ByteBuddy's
 * transformer is installed behind it on a thread of its own. Installing it loads some six hundred of ByteBuddy's
 * classes and writes one (half a second of CPU on two cores, docs/performance.md); an application that starts for
 * seconds before its first tool class loads (a Spring Boot one) no longer waits for that, because it runs beside it.
 *
 * <p>Nothing is left unguarded while the installation runs (SPEC §13.1): a class that loads in the meantime and may
 * hold tools, or that a framework hook or egress sensor instruments (the same first test as ever, {@link
 * ToolInstaller#mayMatch}), waits until the installation has ended, and is then transformed by the installed
 * transformer as if it had been there all along. Only classes the test rules out go on at once, as they always did.
 * A class that loads on the installing thread itself (the JDK's, ByteBuddy's) is never held: it would wait for itself.
 * When the installation fails, a waiting class, and every such class after it, is defined with each of its methods
 * refusing; so is one whose wait runs out ({@link #WAIT}), and every one after it until the installation ends ({@link ToolInstaller#refusingWithoutInstallation}), and that is said:
 * its tools are denied, never run undecided.
 *
 * <p>ByteBuddy registers its transformer through {@link #capturing}: the gate takes it as its delegate instead of the
 * JVM, so that each class passes one transformer, and a class held here is transformed by it on its way through.
 */
final class InstallGate implements ClassFileTransformer {

    /**
     * How long a class that may hold tools waits for the installation. It takes well under a second on an idle
     * two-core machine and a few on a loaded one; the bound is there for a wait that could never end (a lock the
     * installing thread needs, held by the thread that waits), not for a slow start.
     */
    static final Duration WAIT = Duration.ofSeconds(60);

    private final PrefilteredTransformer.FirstTest test;
    private final TransformWithStackToSpare.Refusal refusal;
    private final Consumer<String> diagnostics;
    private final Duration wait;
    private final CountDownLatch ended = new CountDownLatch(1);
    /** ByteBuddy's transformer, once it registered it; used for retransformations and the installing thread at once. */
    private volatile ClassFileTransformer delegate;
    /** Set once the installation has ended well: from then on every class goes to the delegate. */
    private volatile boolean installed;
    /** Set when the installation failed: from then on every class that may hold tools is refused. */
    private volatile boolean failed;
    /** Set when a held class's wait ran out (said once): until the installation ends, such classes are refused at once. */
    private volatile boolean late;
    private volatile Thread installing;

    InstallGate(PrefilteredTransformer.FirstTest test, TransformWithStackToSpare.Refusal refusal,
                Consumer<String> diagnostics) {
        this(test, refusal, diagnostics, WAIT);
    }

    /** @param wait the bound of a held class's wait (tests shorten it) */
    InstallGate(PrefilteredTransformer.FirstTest test, TransformWithStackToSpare.Refusal refusal,
                Consumer<String> diagnostics, Duration wait) {
        this.test = test;
        this.refusal = refusal;
        this.diagnostics = diagnostics;
        this.wait = wait;
    }

    /**
     * Runs {@code installation} on a daemon thread of its own; the gate must already be registered with the JVM. What
     * the installation registers with {@link #capturing} becomes the delegate, and held classes go on once it returned.
     */
    void installBeside(Runnable installation) {
        Thread t = new Thread(() -> {
            try {
                installation.run();
                if (delegate == null) {
                    throw new IllegalStateException("the installation registered no transformer");
                }
                installed = true;
            } catch (Throwable e) {
                failed = true;
                diagnostics.accept("toolguard: installing the instrumentation failed: " + e + "; every class that may"
                        + " hold tools is refused: its methods are denied");
            } finally {
                ended.countDown();
            }
        }, "toolguard-install");
        t.setDaemon(true);
        installing = t;
        t.start();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        if (installed) {
            return delegate.transform(module, loader, name, redefined, domain, bytes);
        }
        if (failed) {
            // loads and retransformations alike: a retransformation starts from the class's own bytes, so a class
            // refused before would otherwise come out of it unguarded
            return mayMatch(loader, name, bytes) ? refused(loader, name, bytes) : null;
        }
        ClassFileTransformer d = delegate;
        if (redefined != null || Thread.currentThread() == installing) {
            // a retransformation (ByteBuddy's own pass at the end of its installation), or a class the installation
            // itself loads: nothing to wait for. Before there is a transformer, a retransformation of a class that
            // may hold tools keeps it refused (only a class refused here can be one: at JVM start nothing else of the
            // application's was loaded before the gate)
            if (d != null) {
                return d.transform(module, loader, name, redefined, domain, bytes);
            }
            return redefined != null && mayMatch(loader, name, bytes) ? refused(loader, name, bytes) : null;
        }
        if (!mayMatch(loader, name, bytes)) {
            return null;
        }
        // once a wait ran out, later classes do not wait again: a stuck installation would cost each of them the bound
        if (!late && !awaitEnd() && !installed && !failed) {
            late = true;
            diagnostics.accept("toolguard: the instrumentation was not installed within " + (wait.toMillis() < 1000
                    ? wait.toMillis() + " ms" : wait.toSeconds() + " s") + "; every class that may hold tools is"
                    + " refused until it is: its methods are denied");
        }
        if (installed) {
            return delegate.transform(module, loader, name, redefined, domain, bytes);
        }
        return refused(loader, name, bytes);
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        return transform(null, loader, name, redefined, domain, bytes);
    }

    /**
     * Waits for the installation's end, at most {@link #wait}. An interrupt does not cut the wait short (the class would
     * be refused for good for a thread pool's shutdown): it is kept, and set again once the wait is over.
     */
    private boolean awaitEnd() {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return ended.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The first test; one that fails holds the class (the installed transformer's full match decides then). */
    private boolean mayMatch(ClassLoader loader, String name, byte[] bytes) {
        if (name == null || bytes == null) {
            return true;
        }
        try {
            return test.mayMatch(loader, name, bytes);
        } catch (Throwable e) {
            return true;
        }
    }

    /** The class with its methods refusing; why was said once, when the installation failed or ran out of time. */
    private byte[] refused(ClassLoader loader, String name, byte[] bytes) {
        return name == null || bytes == null ? null : refusal.refusing(loader, name, bytes);
    }

    /** What ByteBuddy installs on: the JVM's instrumentation, but a transformer it registers is this gate's delegate. */
    Instrumentation capturing(Instrumentation inst) {
        return new Capturing(inst);
    }

    private final class Capturing implements Instrumentation {
        private final Instrumentation inst;

        Capturing(Instrumentation inst) {
            this.inst = inst;
        }

        @Override
        public void addTransformer(ClassFileTransformer transformer, boolean canRetransform) {
            if (delegate != null) {
                throw new IllegalStateException("the gate takes one transformer");
            }
            delegate = transformer;
        }

        @Override
        public void addTransformer(ClassFileTransformer transformer) {
            addTransformer(transformer, false);
        }

        @Override
        public boolean removeTransformer(ClassFileTransformer transformer) {
            if (transformer != null && transformer == delegate) {
                // the gate stays: with no transformer behind it nothing could be guarded, so classes are refused
                failed = true;
                installed = false;
                return true;
            }
            return inst.removeTransformer(transformer);
        }

        @Override
        public boolean isRetransformClassesSupported() {
            return inst.isRetransformClassesSupported();
        }

        @Override
        public void retransformClasses(Class<?>... classes) throws UnmodifiableClassException {
            inst.retransformClasses(classes);
        }

        @Override
        public boolean isRedefineClassesSupported() {
            return inst.isRedefineClassesSupported();
        }

        @Override
        public void redefineClasses(ClassDefinition... definitions)
                throws ClassNotFoundException, UnmodifiableClassException {
            inst.redefineClasses(definitions);
        }

        @Override
        public boolean isModifiableClass(Class<?> theClass) {
            return inst.isModifiableClass(theClass);
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class[] getAllLoadedClasses() {
            return inst.getAllLoadedClasses();
        }

        @Override
        @SuppressWarnings("rawtypes")
        public Class[] getInitiatedClasses(ClassLoader loader) {
            return inst.getInitiatedClasses(loader);
        }

        @Override
        public long getObjectSize(Object objectToSize) {
            return inst.getObjectSize(objectToSize);
        }

        @Override
        public void appendToBootstrapClassLoaderSearch(JarFile jarfile) {
            inst.appendToBootstrapClassLoaderSearch(jarfile);
        }

        @Override
        public void appendToSystemClassLoaderSearch(JarFile jarfile) {
            inst.appendToSystemClassLoaderSearch(jarfile);
        }

        @Override
        public boolean isNativeMethodPrefixSupported() {
            return inst.isNativeMethodPrefixSupported();
        }

        @Override
        public void setNativeMethodPrefix(ClassFileTransformer transformer, String prefix) {
            inst.setNativeMethodPrefix(transformer == delegate ? InstallGate.this : transformer, prefix);
        }

        @Override
        public void redefineModule(Module module, Set<Module> extraReads, Map<String, Set<Module>> extraExports,
                                   Map<String, Set<Module>> extraOpens, Set<Class<?>> extraUses,
                                   Map<Class<?>, List<Class<?>>> extraProvides) {
            inst.redefineModule(module, extraReads, extraExports, extraOpens, extraUses, extraProvides);
        }

        @Override
        public boolean isModifiableModule(Module module) {
            return inst.isModifiableModule(module);
        }
    }
}
