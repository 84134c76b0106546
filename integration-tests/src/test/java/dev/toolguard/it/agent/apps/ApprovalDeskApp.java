package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Makes the tool calls asked for on standard input, one per line: {@code <label> <tool> <customer_id> <amount>}.
 * Each call runs on a thread of its own (a call waiting for an approval holds only its own thread), as user u1 of
 * tenant acme, and prints {@code call <label>: ok <result>} or {@code call <label>: denied rule=<rule>
 * message=<message>}. A body that runs prints {@code body ran <tool> <customer_id>}. Runs until its input ends.
 */
public class ApprovalDeskApp {

    @GuardedTool(name = "wait_refund")
    public String waitRefund(String customer_id, double amount) {
        return ran("wait_refund", customer_id, amount);
    }

    @GuardedTool(name = "quick_refund")
    public String quickRefund(String customer_id, double amount) {
        return ran("quick_refund", customer_id, amount);
    }

    @GuardedTool(name = "ticket_refund")
    public String ticketRefund(String customer_id, double amount) {
        return ran("ticket_refund", customer_id, amount);
    }

    @GuardedTool(name = "close_account")
    public String closeAccount(String customer_id, double amount) {
        return ran("close_account", customer_id, amount);
    }

    private static String ran(String tool, String customer, double amount) {
        System.out.println("body ran " + tool + " " + customer);
        return tool + " " + amount + " for " + customer;
    }

    private String call(String tool, String customer, double amount) {
        return switch (tool) {
            case "wait_refund" -> waitRefund(customer, amount);
            case "quick_refund" -> quickRefund(customer, amount);
            case "ticket_refund" -> ticketRefund(customer, amount);
            case "close_account" -> closeAccount(customer, amount);
            default -> throw new IllegalArgumentException("no tool " + tool);
        };
    }

    public static void main(String[] args) throws Exception {
        ApprovalDeskApp app = new ApprovalDeskApp();
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            if (w.length != 4) {
                continue;
            }
            Thread caller = new Thread(() -> ToolGuard.runAs(
                    Map.of("user.id", "u1", "user.roles", List.of("support_l1"), "tenant", "acme"), () -> {
                        try {
                            System.out.println("call " + w[0] + ": ok " + app.call(w[1], w[2], Double.parseDouble(w[3])));
                        } catch (ToolCallDeniedException e) {
                            System.out.println("call " + w[0] + ": denied rule=" + e.rule() + " message=" + e.getMessage());
                        }
                    }), "call-" + w[0]);
            caller.setDaemon(true);
            caller.start();
        }
    }
}
