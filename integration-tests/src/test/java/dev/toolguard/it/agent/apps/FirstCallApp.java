package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;

import java.util.ArrayList;
import java.util.List;

/**
 * Calls the guarded {@code ping} first thing in {@code main}, from the main thread and from more threads at once, then
 * ends: a call that comes while the agent's first policy load is still running. Argument: how many threads call
 * (the main thread is one of them).
 */
public class FirstCallApp {

    @GuardedTool(name = "ping")
    public String ping(String caller) {
        System.out.println("body ran " + caller);
        return "pong " + caller;
    }

    public static void main(String[] args) throws Exception {
        int callers = Integer.parseInt(args[0]);
        FirstCallApp app = new FirstCallApp();
        System.out.println("calling from " + callers + " threads");
        List<Thread> others = new ArrayList<>();
        for (int i = 1; i < callers; i++) {
            String caller = "thread-" + i;
            Thread t = new Thread(() -> call(app, caller), caller);
            t.start();
            others.add(t);
        }
        call(app, "main");
        for (Thread t : others) {
            t.join();
        }
        System.out.println("done");
    }

    private static void call(FirstCallApp app, String caller) {
        try {
            System.out.println("call " + caller + ": ok " + app.ping(caller));
        } catch (ToolCallDeniedException e) {
            System.out.println("call " + caller + ": denied rule=" + e.rule() + " message=" + e.getMessage());
        }
    }
}
