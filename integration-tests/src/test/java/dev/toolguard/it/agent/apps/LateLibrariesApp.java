package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.SynchronousQueue;
import java.util.function.BiFunction;

/**
 * SPEC §13.4 with §18: an application whose HTTP, JDBC and mail libraries live in a child class loader and are first
 * met while a guarded call's body is already running, through objects made outside that call. The body of
 * {@code late_report} (whose policy restricts http, sql and mail) asks a thread of the application's, started before
 * any call, to make the clients ({@code apps.late.LateLibraries}: the libraries load there), then tries each: an
 * Apache GET (classic, async, minimal async), an OkHttp GET, an OkHttp call made with the clients run by {@code enqueue}, an SQL insert, a mail. Then {@code late_free} (free to use all three) does the same, then
 * {@code late_report} once more. Each attempt and each call prints its outcome; last the rows of the notes table, read
 * outside any call. Arguments: the libraries' jars (path-separated), the HTTP server's base URL, the JDBC URL, the
 * SMTP port.
 */
public class LateLibrariesApp {

    private final SynchronousQueue<String> wanted = new SynchronousQueue<>();
    private final SynchronousQueue<Object> made = new SynchronousQueue<>();
    private BiFunction<String, String, String> libraries;

    @GuardedTool(name = "late_report")
    public String lateReport(String url) throws InterruptedException {
        System.out.println("body ran late_report");
        tryEach("report", url);
        return "tried";
    }

    @GuardedTool(name = "late_free")
    public String lateFree(String url) throws InterruptedException {
        System.out.println("body ran late_free");
        tryEach("free", url);
        return "tried";
    }

    private void tryEach(String label, String url) throws InterruptedException {
        BiFunction<String, String, String> l = libraries();
        attempt(label + " apache", () -> l.apply("apache", url + "/" + label + "-apache"));
        attempt(label + " apache async", () -> l.apply("apache-async", url + "/" + label + "-apache-async"));
        attempt(label + " apache minimal", () -> l.apply("apache-minimal", url + "/" + label + "-apache-minimal"));
        attempt(label + " okhttp", () -> l.apply("okhttp", url + "/" + label + "-okhttp"));
        attempt(label + " okhttp enqueue", () -> l.apply("okhttp-enqueue", label));
        attempt(label + " sql", () -> l.apply("sql", "INSERT INTO notes VALUES ('" + label + "')"));
        attempt(label + " mail", () -> l.apply("mail", label));
    }

    /** The clients, made on the maker thread the first time (outside the call asking, which waits for them). */
    @SuppressWarnings("unchecked")
    private BiFunction<String, String, String> libraries() throws InterruptedException {
        if (libraries == null) {
            wanted.put("make");
            Object m = made.take();
            if (m instanceof Throwable t) {
                throw new IllegalStateException("could not make the clients", t);
            }
            libraries = (BiFunction<String, String, String>) m;
        }
        return libraries;
    }

    private static void attempt(String label, Callable<String> egress) {
        try {
            System.out.println(label + ": ok " + egress.call());
        } catch (ToolCallDeniedException e) {
            System.out.println(label + ": refused rule=" + e.rule() + " message=" + e.getMessage());
        } catch (Exception e) {
            System.out.println(label + ": failed " + e);
        }
    }

    /** Loads {@code dev.toolguard.it.agent.apps.late} itself (so it can name the libraries), and the libraries. */
    static final class LibraryLoader extends URLClassLoader {
        private static final String OWN = "dev.toolguard.it.agent.apps.late.";

        LibraryLoader(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(OWN)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String jar : args[0].split(File.pathSeparator)) {
            urls.add(Path.of(jar).toUri().toURL());
        }
        urls.add(LateLibrariesApp.class.getProtectionDomain().getCodeSource().getLocation());
        ClassLoader loader = new LibraryLoader(urls.toArray(URL[]::new), LateLibrariesApp.class.getClassLoader());
        String url = args[1];
        String jdbcUrl = args[2];
        String smtpPort = args[3];

        LateLibrariesApp app = new LateLibrariesApp();
        Thread maker = new Thread(() -> {
            Object m;
            try {
                app.wanted.take();
                try {
                    m = Class.forName("dev.toolguard.it.agent.apps.late.LateLibraries", true, loader)
                            .getConstructor(String.class, String.class, String.class)
                            .newInstance(url, jdbcUrl, smtpPort);
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    m = e;
                }
                app.made.put(m);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "library-maker");
        maker.setDaemon(true);
        maker.start();

        ToolGuard.runAs(Map.of("user.id", "u1", "user.roles", List.of("support_l1"), "tenant", "acme"), () -> {
            call("report 1", () -> app.lateReport(url));
            call("free", () -> app.lateFree(url));
            call("report 2", () -> app.lateReport(url));
        });
        System.out.println("notes: " + app.libraries.apply("count", "SELECT COUNT(*) FROM notes"));
        System.out.println("done");
        System.exit(0); // OkHttp's dispatcher threads would keep the JVM a minute longer
    }

    private static void call(String label, Callable<String> tool) {
        try {
            System.out.println(label + ": ok " + tool.call());
        } catch (ToolCallDeniedException e) {
            System.out.println(label + ": denied rule=" + e.rule() + " message=" + e.getMessage());
        } catch (Exception e) {
            System.out.println(label + ": failed " + e);
        }
    }
}
