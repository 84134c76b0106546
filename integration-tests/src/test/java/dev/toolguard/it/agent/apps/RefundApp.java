package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.util.List;
import java.util.Map;

/**
 * Calls {@code issue_refund} once per amount given on the command line, as a support_l1 user, and prints
 * each outcome, including what a denial looked like to the caller. The body prints a line when it runs.
 */
public class RefundApp {

    @GuardedTool(name = "issue_refund")
    public String issueRefund(String customer_id, double amount) {
        System.out.println("body ran " + amount);
        return "refunded " + amount + " to " + customer_id;
    }

    public static void main(String[] args) {
        RefundApp app = new RefundApp();
        ToolGuard.runAs(Map.of("user.id", "u1", "user.roles", List.of("support_l1"), "tenant", "acme"), () -> {
            for (String a : args) {
                double amount = Double.parseDouble(a);
                try {
                    System.out.println("call " + a + ": ok " + app.issueRefund("c1", amount));
                } catch (ToolCallDeniedException e) {
                    System.out.println("call " + a + ": denied security=" + (e instanceof SecurityException)
                            + " cause=" + e.getCause() + " rule=" + e.rule() + " message=" + e.getMessage());
                }
            }
        });
        System.out.println("done");
    }
}
