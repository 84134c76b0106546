package dev.toolguard.it.adversarial.apps;

import dev.toolguard.api.GuardedTool;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.function.Function;
import java.util.function.Supplier;

import static dev.toolguard.it.adversarial.apps.Report.attempt;

/**
 * Attack: reach a guarded tool's body by every way Java offers to call a method, hoping one of them goes around
 * the guard: reflection, method handles, lambdas and method references, {@code super.} calls, bridge methods,
 * default methods, records, statics. The tool to call ({@code wipe} or {@code ping}) is the only argument;
 * each path passes its own name as the tool's {@code path} argument, so its body line and audit record say
 * which path they came from.
 */
public final class CallPathsApp {

    /** The plain tool class: an instance method and a static one per tool. */
    public static class Tools {
        @GuardedTool(name = "wipe")
        public String wipe(String path) {
            return Body.ran("wipe", path);
        }

        @GuardedTool(name = "ping")
        public String ping(String path) {
            return Body.ran("ping", path);
        }

        @GuardedTool(name = "wipe")
        public static String wipeStatic(String path) {
            return Body.ran("wipe", path);
        }

        @GuardedTool(name = "ping")
        public static String pingStatic(String path) {
            return Body.ran("ping", path);
        }
    }

    /** Overrides without the annotation that reach the guarded body with {@code super.}, an invokespecial. */
    public static class SubclassTools extends Tools {
        @Override
        public String wipe(String path) {
            return super.wipe(path);
        }

        @Override
        public String ping(String path) {
            return super.ping(path);
        }
    }

    /** Called through the interface, the call enters the compiler's bridge {@code run(Object)} first. */
    public interface Tool<T> {
        T run(T x);
    }

    public static class WipeTool implements Tool<String> {
        @Override
        @GuardedTool(name = "wipe")
        public String run(String path) {
            return Body.ran("wipe", path);
        }
    }

    public static class PingTool implements Tool<String> {
        @Override
        @GuardedTool(name = "ping")
        public String run(String path) {
            return Body.ran("ping", path);
        }
    }

    /** The body lives in the interface; the class has none of its own. */
    public interface DefaultTools {
        @GuardedTool(name = "wipe")
        default String wipe(String path) {
            return Body.ran("wipe", path);
        }

        @GuardedTool(name = "ping")
        default String ping(String path) {
            return Body.ran("ping", path);
        }
    }

    public static class DefaultToolsUser implements DefaultTools {
    }

    public record Vault(String name) {
        @GuardedTool(name = "wipe")
        public String wipe(String path) {
            return Body.ran("wipe", path);
        }

        @GuardedTool(name = "ping")
        public String ping(String path) {
            return Body.ran("ping", path);
        }
    }

    /** What every body does first: the line the tests look for to know it ran. */
    static final class Body {
        static String ran(String tool, String path) {
            System.out.println("body ran " + tool + " " + path);
            return tool + " done " + path;
        }
    }

    public static void main(String[] args) throws Exception {
        String tool = args[0];
        boolean wipe = tool.equals("wipe");
        Tools tools = new Tools();
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        MethodType stringToString = MethodType.methodType(String.class, String.class);

        attempt("direct", () -> wipe ? tools.wipe("direct") : tools.ping("direct"));

        Method method = Tools.class.getMethod(tool, String.class);
        attempt("reflection", () -> method.invoke(tools, "reflection"));

        MethodHandle virtual = lookup.findVirtual(Tools.class, tool, stringToString);
        attempt("method-handle-virtual", () -> {
            String r = (String) virtual.invokeExact(tools, "method-handle-virtual");
            return r;
        });

        MethodHandle statik = lookup.findStatic(Tools.class, tool + "Static", stringToString);
        attempt("method-handle-static", () -> {
            String r = (String) statik.invokeExact("method-handle-static");
            return r;
        });

        Function<String, String> reference = wipe ? tools::wipe : tools::ping;
        attempt("method-reference", () -> reference.apply("method-reference"));

        Supplier<String> lambda = wipe ? () -> tools.wipe("lambda") : () -> tools.ping("lambda");
        attempt("lambda", lambda::get);

        Tools sub = new SubclassTools();
        attempt("super-call", () -> wipe ? sub.wipe("super-call") : sub.ping("super-call"));

        Tool<String> bridged = wipe ? new WipeTool() : new PingTool();
        attempt("bridge", () -> bridged.run("bridge"));

        DefaultTools defaults = new DefaultToolsUser();
        attempt("default-method", () -> wipe ? defaults.wipe("default-method") : defaults.ping("default-method"));

        Vault vault = new Vault("v1");
        attempt("record", () -> wipe ? vault.wipe("record") : vault.ping("record"));

        attempt("static", () -> wipe ? Tools.wipeStatic("static") : Tools.pingStatic("static"));

        System.out.println("done");
    }
}
