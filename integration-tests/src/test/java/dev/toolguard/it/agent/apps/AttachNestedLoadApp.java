package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs without the agent: loads {@link Holder}, whose method names {@link LateTool} in its signature, but never
 * {@code LateTool} itself; says {@code ready}, waits until the file given as the first argument exists, then calls
 * {@code LateTool}'s tool. An attach in between retransforms {@code Holder}, and describing a loaded class by
 * reflection loads the types of its methods: {@code LateTool} is then loaded while the agent transforms another class.
 */
public class AttachNestedLoadApp {

    /** Loaded before the attach; names the tool class in a signature. */
    public static class Holder {
        public static String describe(LateTool tool) {
            return "holder " + (tool == null ? "without a tool" : "with a tool");
        }
    }

    /** First loaded after the attach, perhaps while the agent transforms {@link Holder}. */
    public static class LateTool {
        @GuardedTool(name = "issue_refund")
        public String issueRefund(String customer_id, double amount) {
            System.out.println("body ran " + amount);
            return "refunded " + amount;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(Holder.describe(null));
        Path go = Path.of(args[0]);
        System.out.println("ready");
        while (!Files.exists(go)) {
            Thread.sleep(20);
        }
        ToolGuard.runAs(Map.of("user.id", "u1", "user.roles", List.of("support_l1")), () -> {
            call();
            return null;
        });
        System.out.println("done");
    }

    private static void call() {
        try {
            System.out.println("call: ok " + new LateTool().issueRefund("c1", 900));
        } catch (ToolCallDeniedException e) {
            System.out.println("call: denied rule=" + e.rule());
        }
    }
}
