package dev.toolguard.it.adversarial.apps;

import dev.toolguard.api.GuardedTool;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/**
 * Attack: have a tool's class defined with almost no stack left, hoping the agent's class transformer
 * overflows and the JVM defines the class as it is, unguarded for the rest of the run. Run with a small stack
 * ({@code -Xss512k}). Each of {@code loaders} fresh class loaders defines its own copy of
 * {@link DeepLoadedTool}; {@code probe} recurses until {@code StackOverflowError} and, on the way back up,
 * tries to load the class through the current loader at each depth, moving to the next loader once a copy is
 * defined. Then, with the whole stack available again, it calls {@code wipe} on every copy that got defined
 * (path {@code copy-<i>}). Arguments: loaders, seconds.
 */
public final class DeepLoadApp {

    /** The tool, in a class of its own so that nothing loads it before the attack does. */
    public static final class DeepLoadedTool {
        @GuardedTool(name = "wipe")
        public static String wipe(String path) {
            System.out.println("body ran wipe " + path);
            return "wipe done " + path;
        }
    }

    /** Defined by each loader at a comfortable depth, so the JDK's side of defining a class is ready beforehand. */
    public static final class Primer {
    }

    /** Defines the tool class (and the primer) itself, from the app's class path; the rest comes from the parent. */
    static final class ToolLoader extends URLClassLoader {
        ToolLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.equals(TOOL) || name.equals(PRIMER)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
                return super.loadClass(name, resolve);
            }
        }
    }

    static final String TOOL = DeepLoadedTool.class.getName();
    static final String PRIMER = Primer.class.getName();
    static ToolLoader[] loaders;
    static Class<?>[] defined;
    static int next;
    static long attempts;

    static void probe(int depth) {
        try {
            probe(depth + 1);
        } catch (StackOverflowError bottom) {
            // the bottom: try from here up
        }
        if (next < loaders.length) {
            attempts++;
            try {
                defined[next] = Class.forName(TOOL, true, loaders[next]);
                next++;
            } catch (Throwable overflowed) {
                // too deep to define a class at all: the next depth up tries again
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        URL[] classPath = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            classPath[i] = Path.of(entries[i]).toUri().toURL();
        }
        loaders = new ToolLoader[count];
        defined = new Class<?>[count];
        for (int i = 0; i < count; i++) {
            loaders[i] = new ToolLoader(classPath, DeepLoadApp.class.getClassLoader());
            // with stack to spare, the loader opens its class path and the JDK initializes what defining a class
            // needs: a JDK class initializer that overflowed would fail for good, and the run would test the JDK
            Class.forName(PRIMER, true, loaders[i]);
        }
        while (next < count && System.nanoTime() < deadline) {
            probe(0);
        }
        System.out.println("copies defined near exhaustion: " + next + " in " + attempts + " attempts");
        for (int i = 0; i < next; i++) {
            String path = "copy-" + i;
            Class<?> copy = defined[i];
            Report.attempt(path, () -> {
                try {
                    return copy.getMethod("wipe", String.class).invoke(null, path);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            });
        }
        System.out.println("done");
    }
}
