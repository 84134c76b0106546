package dev.toolguard.sample.support;

import dev.toolguard.sample.support.legacy.CrmClient;

import java.util.Map;
import java.util.function.Function;

/**
 * Turns a proposed call into a Java method call, as a tool-calling framework would. It holds no ToolGuard
 * code: the agent decides inside the tool methods themselves.
 */
public final class ToolBox {

    private final Map<String, Function<Map<String, Object>, String>> tools;

    public ToolBox(SupportTools support, CrmClient crm) {
        tools = Map.of(
                "issue_refund", a -> support.issueRefund(text(a, "customer_id"), number(a, "amount"), text(a, "reason")),
                "reset_password", a -> support.resetPassword(text(a, "email")),
                "email.send_external", a -> support.sendExternalEmail(text(a, "to"), text(a, "subject"), text(a, "body")),
                "delete_database", a -> support.deleteDatabase(text(a, "name")),
                "crm.read_account", a -> crm.readAccount(text(a, "account_id")),
                "crm.update_account", a -> crm.updateAccount(text(a, "account_id"), text(a, "field"), text(a, "value")));
    }

    /** Runs the tool; a tool the model made up is answered like any tool error. */
    public String call(ProposedCall call) {
        Function<Map<String, Object>, String> tool = tools.get(call.tool());
        if (tool == null) {
            throw new IllegalArgumentException("no such tool: " + call.tool());
        }
        return tool.apply(call.arguments());
    }

    private static String text(Map<String, Object> args, String name) {
        Object v = args.get(name);
        return v == null ? null : v.toString();
    }

    private static double number(Map<String, Object> args, String name) {
        return ((Number) args.get(name)).doubleValue();
    }
}
