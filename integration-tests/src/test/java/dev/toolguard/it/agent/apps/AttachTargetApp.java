package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs without the agent: calls its tool once (so the class is loaded and the call unguarded), says
 * {@code ready}, waits until the file given as the first argument exists, then calls the tool again.
 */
public class AttachTargetApp {

    @GuardedTool(name = "issue_refund")
    public String issueRefund(String customer_id, double amount) {
        System.out.println("body ran " + amount);
        return "refunded " + amount;
    }

    public static void main(String[] args) throws Exception {
        AttachTargetApp app = new AttachTargetApp();
        Path go = Path.of(args[0]);
        ToolGuard.runAs(Map.of("user.id", "u1", "user.roles", List.of("support_l1")), () -> {
            call(app, 1);
            System.out.println("ready");
            while (!Files.exists(go)) {
                Thread.sleep(20);
            }
            call(app, 2);
            return null;
        });
        System.out.println("done");
    }

    private static void call(AttachTargetApp app, int n) {
        try {
            System.out.println("call " + n + ": ok " + app.issueRefund("c1", 900));
        } catch (ToolCallDeniedException e) {
            System.out.println("call " + n + ": denied rule=" + e.rule());
        }
    }
}
