package dev.toolguard.sample.adk;

import com.google.adk.tools.Annotations.Schema;

import java.util.Map;

/** The support desk's function tools: plain Java methods, made ADK tools by {@code FunctionTool.create}. */
public final class SupportTools {

    @Schema(name = "crm_read_account", description = "Reads a customer's account")
    public Map<String, Object> readAccount(@Schema(name = "customerId") String customerId) {
        System.out.println("  [tool body] crm_read_account " + customerId);
        return Map.of("account", "account " + customerId + ": gold tier, 2 open orders");
    }

    @Schema(name = "issue_refund", description = "Refunds an amount in EUR to a customer")
    public Map<String, Object> issueRefund(@Schema(name = "customerId") String customerId,
                                           @Schema(name = "amount") double amount) {
        System.out.println("  [tool body] issue_refund " + customerId + " " + amount);
        return Map.of("refund", "refunded " + amount + " EUR to " + customerId);
    }

    @Schema(name = "delete_account", description = "Deletes a customer's account and its history")
    public Map<String, Object> deleteAccount(@Schema(name = "customerId") String customerId) {
        System.out.println("  [tool body] delete_account " + customerId);
        return Map.of("deleted", customerId);
    }
}
