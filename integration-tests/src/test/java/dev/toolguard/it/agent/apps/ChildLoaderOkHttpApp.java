package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * An application whose OkHttp lives in a child class loader (as in a Spring Boot jar) and is first touched inside a
 * tool's body: {@code fetch_report} (whose policy restricts HTTP) runs first and loads OkHttp's call class there,
 * then {@code fetch_page} (free to use HTTP), then {@code fetch_report} again. Arguments: the directory of the
 * OkHttp classes, the base URL of the server. Each body prints a line when it runs, each call its outcome.
 */
public class ChildLoaderOkHttpApp {

    private final ClassLoader okHttp;

    ChildLoaderOkHttpApp(ClassLoader okHttp) {
        this.okHttp = okHttp;
    }

    @GuardedTool(name = "fetch_report")
    public String fetchReport(String url) {
        System.out.println("body ran fetch_report");
        return send(url + "/report");
    }

    @GuardedTool(name = "fetch_page")
    public String fetchPage(String url) {
        System.out.println("body ran fetch_page");
        return send(url + "/page");
    }

    /** What a tool does with OkHttp, by reflection only because the library is not on this class's path. */
    private String send(String url) {
        try {
            Class<?> call = Class.forName("okhttp3.internal.connection.RealCall", true, okHttp);
            Object c = call.getConstructor(String.class).newInstance(url);
            return (String) call.getMethod("runNow").invoke(c);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // what OkHttp threw, as a direct call would see it
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        ChildLoaderOkHttpApp app = new ChildLoaderOkHttpApp(new URLClassLoader(
                new URL[] {Path.of(args[0]).toUri().toURL()}, ChildLoaderOkHttpApp.class.getClassLoader()));
        String url = args[1];
        ToolGuard.runAs(Map.of("user.id", "u1", "user.roles", List.of("support_l1"), "tenant", "acme"), () -> {
            call("report 1", () -> app.fetchReport(url));
            call("page", () -> app.fetchPage(url));
            call("report 2", () -> app.fetchReport(url));
        });
        System.out.println("done");
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
