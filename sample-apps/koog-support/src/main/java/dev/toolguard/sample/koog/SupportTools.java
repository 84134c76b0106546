package dev.toolguard.sample.koog;

/**
 * The support desk's tools: plain Java methods, made Koog tools by {@code ToolRegistry.builder().tool(Method, ...)},
 * which reads their parameter names (compiled with {@code -parameters}).
 */
public final class SupportTools {

    public String readAccount(String customerId) {
        System.out.println("  [tool body] crm_read_account " + customerId);
        return "account " + customerId + ": gold tier, 2 open orders";
    }

    public String issueRefund(String customerId, double amount) {
        System.out.println("  [tool body] issue_refund " + customerId + " " + amount);
        return "refunded " + amount + " EUR to " + customerId;
    }

    public String deleteAccount(String customerId) {
        System.out.println("  [tool body] delete_account " + customerId);
        return "deleted " + customerId;
    }
}
