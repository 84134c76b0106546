package dev.toolguard.sample.springai;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

import java.util.Locale;

/** The support desk's own tools, offered to the model through Spring AI's {@code @Tool} methods. */
@Component
public class SupportTools {

    @Tool(name = "issue_refund", description = "Refunds an amount in EUR to a customer")
    public String issueRefund(@ToolParam(description = "the customer id, e.g. c-1001") String customerId,
                              @ToolParam(description = "the amount in EUR") double amount,
                              @ToolParam(description = "why the customer is refunded") String reason,
                              ToolContext toolContext) {
        Object tenant = toolContext.getContext().get(SupportDesk.TENANT_KEY);
        String result = String.format(Locale.ROOT, "refunded %.2f EUR to %s for tenant %s", amount, customerId, tenant);
        System.out.println("  tool ran: issue_refund " + result);
        return result;
    }

    @Tool(name = "lookup_customer", description = "Reads what the CRM knows about a customer")
    public String lookupCustomer(@ToolParam(description = "the customer id, e.g. c-1001") String customerId) {
        String result = customerId + ": Ada Lovelace, gold tier, 2 open orders";
        System.out.println("  tool ran: lookup_customer " + customerId);
        return result;
    }

    @Tool(name = "delete_customer", description = "Deletes a customer and all their data from the CRM")
    public String deleteCustomer(@ToolParam(description = "the customer id, e.g. c-1001") String customerId) {
        System.out.println("  tool ran: delete_customer " + customerId);
        return "deleted " + customerId;
    }
}
