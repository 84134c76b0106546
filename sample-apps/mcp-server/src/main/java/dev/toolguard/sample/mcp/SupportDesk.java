package dev.toolguard.sample.mcp;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * What the support desk can do: the bodies behind the MCP tools. Each action is logged to standard error
 * (standard output belongs to the MCP protocol), which is also how one can tell that a body ran.
 */
final class SupportDesk {

    private static final Map<String, String> ORDERS = Map.of(
            "A-1001", "2 items, shipped 2026-11-20",
            "A-1002", "1 item, awaiting payment");

    private final PrintStream log;

    SupportDesk(PrintStream log) {
        this.log = log;
    }

    String lookupOrder(String orderId) {
        log.println("support-desk: looked up order " + orderId);
        String status = ORDERS.get(orderId);
        return status == null ? "no order " + orderId : "order " + orderId + ": " + status;
    }

    String issueRefund(String customerId, double amount, String reason) {
        log.println("support-desk: refunded " + money(amount) + " to " + customerId);
        return "refunded " + money(amount) + " to " + customerId + (reason == null ? "" : " (" + reason + ")");
    }

    String exportCustomers(String format) {
        log.println("support-desk: exported the customer list as " + format);
        return "exported 3 customers as " + format;
    }

    String deleteCustomer(String customerId) {
        log.println("support-desk: deleted customer " + customerId);
        return "deleted customer " + customerId;
    }

    private static String money(double amount) {
        return String.format(Locale.ROOT, "%.2f", amount);
    }
}
