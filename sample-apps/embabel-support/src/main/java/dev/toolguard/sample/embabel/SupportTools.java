package dev.toolguard.sample.embabel;

import com.embabel.agent.api.annotation.LlmTool;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * The support desk's tools: plain Java methods, made Embabel tools by {@code @LlmTool}; one written for Spring AI
 * ({@code @Tool}), which Embabel takes from the same object.
 */
public final class SupportTools {

    @LlmTool(name = "crm_read_account", description = "Reads a customer's account")
    public String readAccount(@LlmTool.Param(description = "the customer's id") String customerId) {
        System.out.println("  [tool body] crm_read_account " + customerId);
        return "account " + customerId + ": gold tier, 2 open orders";
    }

    @LlmTool(name = "issue_refund", description = "Refunds an amount in EUR to a customer")
    public String issueRefund(@LlmTool.Param(description = "the customer's id") String customerId,
                              @LlmTool.Param(description = "the amount in EUR") double amount) {
        System.out.println("  [tool body] issue_refund " + customerId + " " + amount);
        return "refunded " + amount + " EUR to " + customerId;
    }

    @LlmTool(name = "delete_account", description = "Deletes a customer's account and its history")
    public String deleteAccount(@LlmTool.Param(description = "the customer's id") String customerId) {
        System.out.println("  [tool body] delete_account " + customerId);
        return "deleted " + customerId;
    }

    @Tool(name = "order_status", description = "Tells where a customer's order is")
    public String orderStatus(@ToolParam(description = "the order's id") String orderId) {
        System.out.println("  [tool body] order_status " + orderId);
        return "order " + orderId + ": shipped";
    }
}
