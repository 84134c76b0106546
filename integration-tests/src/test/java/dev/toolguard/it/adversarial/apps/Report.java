package dev.toolguard.it.adversarial.apps;

import dev.toolguard.api.ToolCallDeniedException;

import java.util.ArrayList;
import java.util.List;

/**
 * How the adversarial apps print what a caller saw, one line per call, so that the tests read every path the
 * same way: {@code <path>: returned <value>}, {@code <path>: denied rule=<rule> tool=<tool> wrapped=<wrappers>}
 * (the exceptions the denial arrived inside, outermost first, or {@code none}), else {@code <path>: threw <t>}.
 */
public final class Report {

    /** A call that may throw anything, even what {@code MethodHandle.invokeExact} declares. */
    @FunctionalInterface
    public interface Call {
        Object call() throws Throwable;
    }

    private Report() {
    }

    public static void attempt(String path, Call call) {
        System.out.println(path + ": " + outcome(call));
    }

    public static String outcome(Call call) {
        try {
            return "returned " + call.call();
        } catch (Throwable t) {
            return describe(t);
        }
    }

    public static String describe(Throwable thrown) {
        List<String> wrappers = new ArrayList<>();
        Throwable t = thrown;
        while (t != null && !(t instanceof ToolCallDeniedException)) {
            wrappers.add(t.getClass().getSimpleName());
            t = t.getCause();
        }
        if (t instanceof ToolCallDeniedException denied) {
            return "denied rule=" + denied.rule() + " tool=" + denied.tool()
                    + " wrapped=" + (wrappers.isEmpty() ? "none" : String.join(">", wrappers));
        }
        return "threw " + thrown;
    }
}
