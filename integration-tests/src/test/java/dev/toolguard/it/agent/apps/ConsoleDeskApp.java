package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The app the console's browser tests watch. Makes the calls asked for on standard input, one per line:
 * {@code <label> <tool> <customer_id> <amount> <secret>}, each on a thread of its own as user u1 of tenant acme in
 * session sess-7, with the secret as the call's {@code api_key} (wait_refund) or {@code password} (lookup) argument,
 * and the first program argument as the caller's {@code auth.token} in the context: values the console must never
 * show. Prints {@code call <label>: ok <result>} or {@code call <label>: denied ...}; a body that runs prints
 * {@code body ran <tool> <customer_id>}.
 */
public class ConsoleDeskApp {

    @GuardedTool(name = "wait_refund")
    public String waitRefund(String customer_id, double amount, String api_key) {
        return ran("wait_refund", customer_id);
    }

    @GuardedTool(name = "lookup")
    public String lookup(String customer_id, String password) {
        return ran("lookup", customer_id);
    }

    @GuardedTool(name = "close_account")
    public String closeAccount(String customer_id) {
        return ran("close_account", customer_id);
    }

    private static String ran(String tool, String customer) {
        System.out.println("body ran " + tool + " " + customer);
        return tool + " for " + customer;
    }

    private String call(String tool, String customer, double amount, String secret) {
        return switch (tool) {
            case "wait_refund" -> waitRefund(customer, amount, secret);
            case "lookup" -> lookup(customer, secret);
            case "close_account" -> closeAccount(customer);
            default -> throw new IllegalArgumentException("no tool " + tool);
        };
    }

    public static void main(String[] args) throws Exception {
        ConsoleDeskApp app = new ConsoleDeskApp();
        String ctxToken = args.length > 0 ? args[0] : "none";
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ");
            if (w.length != 5) {
                continue;
            }
            Thread caller = new Thread(() -> ToolGuard.runAs(Map.of("user.id", "u1", "tenant", "acme",
                    "session.id", "sess-7", "auth.token", ctxToken), () -> {
                        try {
                            System.out.println("call " + w[0] + ": ok " + app.call(w[1], w[2], Double.parseDouble(w[3]), w[4]));
                        } catch (ToolCallDeniedException e) {
                            System.out.println("call " + w[0] + ": denied rule=" + e.rule() + " message=" + e.getMessage());
                        }
                    }), "call-" + w[0]);
            caller.setDaemon(true);
            caller.start();
        }
    }
}
