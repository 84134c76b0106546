package dev.toolguard.sample.support;

import dev.toolguard.api.GuardedTool;

import java.util.Locale;

/** The support agent's own tools, marked for ToolGuard with {@code @GuardedTool}. */
public class SupportTools {

    @GuardedTool(name = "issue_refund")
    public String issueRefund(String customer_id, double amount, String reason) {
        return String.format(Locale.ROOT, "refund of %.2f issued to %s (%s)", amount, customer_id, reason);
    }

    @GuardedTool(name = "reset_password")
    public String resetPassword(String email) {
        return "password reset link sent to " + email;
    }

    @GuardedTool(name = "email.send_external")
    public String sendExternalEmail(String to, String subject, String body) {
        return "email '" + subject + "' sent to " + to;
    }

    @GuardedTool(name = "delete_database")
    public String deleteDatabase(String name) {
        return "database " + name + " deleted";
    }
}
