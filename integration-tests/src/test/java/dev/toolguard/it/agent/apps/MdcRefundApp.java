package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import org.slf4j.MDC;

/**
 * Tells who is calling only through its own SLF4J MDC, as a web application's filter would, then refunds the
 * amounts given on the command line. Prints each outcome.
 */
public class MdcRefundApp {

    @GuardedTool(name = "issue_refund")
    public String issueRefund(String customer_id, double amount) {
        return "refunded " + amount;
    }

    public static void main(String[] args) {
        MDC.put("userId", "u-mdc");
        MDC.put("roles", "support_l1, auditor");
        MdcRefundApp app = new MdcRefundApp();
        for (String a : args) {
            try {
                System.out.println("call " + a + ": ok " + app.issueRefund("c1", Double.parseDouble(a)));
            } catch (ToolCallDeniedException e) {
                System.out.println("call " + a + ": denied " + e.getMessage());
            }
        }
    }
}
