package dev.toolguard.it.adversarial.apps;

import dev.toolguard.api.GuardedTool;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * Attack: load the guarded class with a class loader the agent may not expect, hoping it is never
 * instrumented: {@code child-first} (a parent-last loader defines the class itself although its parent could),
 * {@code platform-parent} ({@code new URLClassLoader(urls, platform loader)}) or {@code bootstrap-parent}
 * ({@code new URLClassLoader(urls, null)}). Arguments: that mode and the plugin jar, which is not on the app's
 * class path. Before calling, the app prints what a test needs to trust the setup: that it cannot see the
 * plugin itself, which loader defined it, and that the plugin sees the API's annotation. Then it calls
 * {@code ping} and {@code wipe}, each with the mode as its path.
 */
public final class ClassLoaderApp {

    static final String PLUGIN = "dev.toolguard.it.adversarial.plugin.WipePlugin";
    static final String PLUGIN_FILE = PLUGIN.replace('.', '/') + ".class";

    /** Parent-last: looks in its own URLs first and asks the parent only for what it does not have. */
    static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && !name.startsWith("java.")) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notMine) {
                        // the parent's then
                    }
                }
                if (c == null) {
                    c = super.loadClass(name, false);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        URL[] urls = {Path.of(args[1]).toUri().toURL()};
        ClassLoader app = ClassLoaderApp.class.getClassLoader();
        System.out.println("app class path has the plugin: " + (app.getResource(PLUGIN_FILE) != null));

        ClassLoader loader = switch (mode) {
            case "child-first" -> {
                URLClassLoader parent = new URLClassLoader(urls, app);
                System.out.println("parent could load the plugin: " + (parent.getResource(PLUGIN_FILE) != null));
                yield new ChildFirstLoader(urls, parent);
            }
            case "platform-parent" -> new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
            case "bootstrap-parent" -> new URLClassLoader(urls, null);
            default -> throw new IllegalArgumentException(mode);
        };
        Class<?> pluginClass = Class.forName(PLUGIN, true, loader);
        System.out.println("plugin defined by its own loader: " + (pluginClass.getClassLoader() == loader));
        System.out.println("plugin sees the annotation: "
                + (pluginClass.getMethod("wipe", String.class).getAnnotation(GuardedTool.class) != null));

        @SuppressWarnings("unchecked")
        BiFunction<String, String, String> plugin =
                (BiFunction<String, String, String>) pluginClass.getConstructor().newInstance();
        Report.attempt("ping", () -> plugin.apply("ping", mode));
        Report.attempt("wipe", () -> plugin.apply("wipe", mode));
        System.out.println("done");
    }
}
