package dev.toolguard.it.adversarial.apps;

import dev.toolguard.api.GuardedTool;

/**
 * Attack: put the real body in a method without the annotation, where the annotation sits only on what it
 * implements or overrides, hoping the guard reads annotations only where they are written (SPEC §13.3 says
 * they are inherited). Methods are named {@code erase}/{@code poke} while the annotations name the tools
 * {@code wipe}/{@code ping}, so a decision under the method's name instead of the annotation's is told apart.
 * The tool ({@code wipe} or {@code ping}) is the argument; each shape passes its name as the path.
 */
public final class InheritedAnnotationsApp {

    /** The annotations on an interface's abstract methods. */
    public interface Eraser {
        @GuardedTool(name = "wipe")
        String erase(String path);

        @GuardedTool(name = "ping")
        String poke(String path);
    }

    public static class InterfaceImpl implements Eraser {
        @Override
        public String erase(String path) {
            return Body.ran("wipe", path);
        }

        @Override
        public String poke(String path) {
            return Body.ran("ping", path);
        }
    }

    /** The annotations on a generic interface's method, implemented with a concrete type (so through a bridge). */
    public interface GenericEraser<T> {
        @GuardedTool(name = "wipe")
        T erase(T path);

        @GuardedTool(name = "ping")
        T poke(T path);
    }

    public static class GenericImpl implements GenericEraser<String> {
        @Override
        public String erase(String path) {
            return Body.ran("wipe", path);
        }

        @Override
        public String poke(String path) {
            return Body.ran("ping", path);
        }
    }

    /** The annotations on an abstract class's abstract methods. */
    public abstract static class AbstractEraser {
        @GuardedTool(name = "wipe")
        public abstract String erase(String path);

        @GuardedTool(name = "ping")
        public abstract String poke(String path);
    }

    public static class AbstractImpl extends AbstractEraser {
        @Override
        public String erase(String path) {
            return Body.ran("wipe", path);
        }

        @Override
        public String poke(String path) {
            return Body.ran("ping", path);
        }
    }

    /** Two levels down: the interface is annotated, an abstract class in between adds nothing. */
    public abstract static class Middle implements Eraser {
    }

    public static class GrandchildImpl extends Middle {
        @Override
        public String erase(String path) {
            return Body.ran("wipe", path);
        }

        @Override
        public String poke(String path) {
            return Body.ran("ping", path);
        }
    }

    /** Annotated concrete methods, whose own bodies the override below never calls. */
    public static class GuardedEraser {
        @GuardedTool(name = "wipe")
        public String erase(String path) {
            return Body.ran("wipe", path + "/base");
        }

        @GuardedTool(name = "ping")
        public String poke(String path) {
            return Body.ran("ping", path + "/base");
        }
    }

    public static class OverridingImpl extends GuardedEraser {
        @Override
        public String erase(String path) {
            return Body.ran("wipe", path);
        }

        @Override
        public String poke(String path) {
            return Body.ran("ping", path);
        }
    }

    static final class Body {
        static String ran(String tool, String path) {
            System.out.println("body ran " + tool + " " + path);
            return tool + " done " + path;
        }
    }

    public static void main(String[] args) {
        boolean wipe = args[0].equals("wipe");
        Eraser viaInterface = new InterfaceImpl();
        Report.attempt("interface", () -> wipe ? viaInterface.erase("interface") : viaInterface.poke("interface"));

        GenericEraser<String> viaGeneric = new GenericImpl();
        Report.attempt("generic-interface", () -> wipe ? viaGeneric.erase("generic-interface")
                : viaGeneric.poke("generic-interface"));

        AbstractEraser viaAbstract = new AbstractImpl();
        Report.attempt("abstract-class", () -> wipe ? viaAbstract.erase("abstract-class")
                : viaAbstract.poke("abstract-class"));

        Eraser viaGrandparent = new GrandchildImpl();
        Report.attempt("grandparent-interface", () -> wipe ? viaGrandparent.erase("grandparent-interface")
                : viaGrandparent.poke("grandparent-interface"));

        GuardedEraser viaOverride = new OverridingImpl();
        Report.attempt("override", () -> wipe ? viaOverride.erase("override") : viaOverride.poke("override"));

        // called on the implementation's own type: nothing annotated is named at the call site
        OverridingImpl concrete = new OverridingImpl();
        Report.attempt("override-direct", () -> wipe ? concrete.erase("override-direct")
                : concrete.poke("override-direct"));

        System.out.println("done");
    }
}
