package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Hands guarded tools arguments past the conversion bounds (SPEC §13.9): each call prints what happened, and a
 * body prints a line when it runs. With the argument {@code ping} it only calls {@code ping} once.
 */
public class HostileArgumentsApp {

    @GuardedTool(name = "store")
    public String store(List<String> items) {
        System.out.println("body ran store " + items.size());
        return "stored";
    }

    @GuardedTool(name = "annotate")
    public String annotate(String id, String note) {
        System.out.println("body ran annotate " + note.length());
        return "annotated";
    }

    @GuardedTool(name = "ping")
    public String ping(long n) {
        System.out.println("body ran ping " + n);
        return "pong";
    }

    public static void main(String[] args) {
        HostileArgumentsApp app = new HostileArgumentsApp();
        if (args.length > 0 && args[0].equals("ping")) {
            call("ping", () -> app.ping(1));
            System.out.println("done");
            return;
        }
        call("items within", () -> app.store(new ArrayList<>(Collections.nCopies(100_000, "a"))));
        call("items past", () -> app.store(new ArrayList<>(Collections.nCopies(100_001, "a"))));
        call("note within", () -> app.annotate("c1", "x".repeat(1024 * 1024)));
        call("note past", () -> app.annotate("c1", "x".repeat(1024 * 1024 + 1)));
        System.out.println("done");
    }

    private static void call(String what, Callable<String> call) {
        try {
            System.out.println(what + ": " + call.call());
        } catch (ToolCallDeniedException e) {
            System.out.println(what + ": denied rule=" + e.rule() + " " + e.getMessage());
        } catch (Exception e) {
            System.out.println(what + ": failed " + e);
        }
    }
}
