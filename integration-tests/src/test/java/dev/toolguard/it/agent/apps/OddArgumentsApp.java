package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Hands a guarded tool the arguments a confused model or a careless caller might: each call says what happened. */
public class OddArgumentsApp {

    public enum Priority { LOW, HIGH }

    public record Order(String id, double amount, Priority priority, Optional<String> note) {
    }

    /** A JavaBean, read through its getters. */
    public static class Customer {
        public String getName() {
            return "Ada";
        }

        public boolean isVip() {
            return true;
        }
    }

    @GuardedTool(name = "inspect")
    public String inspect(Object value) {
        System.out.println("body ran");
        return "ok";
    }

    public static void main(String[] args) {
        OddArgumentsApp app = new OddArgumentsApp();
        Map<String, Object> cyclic = new HashMap<>();
        cyclic.put("self", cyclic);
        List<Object> deep = new ArrayList<>();
        List<Object> cursor = deep;
        for (int i = 0; i < 500; i++) {
            List<Object> next = new ArrayList<>();
            cursor.add(next);
            cursor = next;
        }
        call("null", () -> app.inspect(null));
        call("record", () -> app.inspect(new Order("o-1", 12.5, Priority.HIGH, Optional.of("gift"))));
        call("bean", () -> app.inspect(new Customer()));
        call("huge", () -> app.inspect("x".repeat(1_000_000)));
        call("cyclic", () -> app.inspect(cyclic));
        call("deep", () -> app.inspect(deep));
        call("thread", () -> app.inspect(Thread.currentThread()));
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
