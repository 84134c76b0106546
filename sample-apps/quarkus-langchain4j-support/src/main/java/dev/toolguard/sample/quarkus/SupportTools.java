package dev.toolguard.sample.quarkus;

import dev.langchain4j.agent.tool.Tool;
import jakarta.enterprise.context.ApplicationScoped;

/** The support desk's tools; each prints a line when its body runs, so that you see which ones did. */
@ApplicationScoped
public class SupportTools {

    @Tool(name = "crm_read_account", value = "Reads a customer's account")
    public String crmReadAccount(String customerId) {
        System.out.println("  [tool body] crm_read_account " + customerId);
        return "account " + customerId + ": gold tier, 2 open orders";
    }

    @Tool(name = "issue_refund", value = "Refunds an amount to a customer")
    public String issueRefund(String customerId, double amount) {
        System.out.println("  [tool body] issue_refund " + customerId + " " + amount);
        return "refunded " + amount + " EUR to " + customerId;
    }

    @Tool(name = "delete_account", value = "Deletes a customer's account")
    public String deleteAccount(String customerId) {
        System.out.println("  [tool body] delete_account " + customerId);
        return "deleted " + customerId;
    }
}
