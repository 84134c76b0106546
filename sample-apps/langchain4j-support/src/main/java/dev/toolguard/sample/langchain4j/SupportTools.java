package dev.toolguard.sample.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;

import java.util.Locale;

/**
 * The support desk's tools, as LangChain4j offers them to the model. Each body says on standard output that
 * it ran, so a reader of the output sees which calls really happened.
 *
 * <p>Argument names are the compiled parameter names (the build passes {@code -parameters}), which every
 * LangChain4j 1.x uses; {@code @P} only describes them for the model.
 */
public class SupportTools {

    @Tool(name = "issue_refund", value = "Refunds an amount in EUR to a customer")
    public String issueRefund(@P("the customer's id, e.g. c-1001") String customerId,
                              @P("the amount in EUR") double amount,
                              @P("why the customer is refunded") String reason) {
        String result = String.format(Locale.ROOT, "refunded %.2f EUR to %s (%s)", amount, customerId, reason);
        ran("issue_refund", result);
        return result;
    }

    @Tool(name = "reset_password", value = "Sends a password reset link to an account's e-mail address")
    public String resetPassword(@P("the account's e-mail address") String email) {
        String result = "password reset link sent to " + email;
        ran("reset_password", result);
        return result;
    }

    @Tool(name = "crm_read_account", value = "Reads a customer account from the CRM")
    public String readAccount(@P("the account id, e.g. acct-42") String accountId) {
        String result = "account " + accountId + ": Globex Corporation, tier silver, contact jane@globex.example";
        ran("crm_read_account", result);
        return result;
    }

    @Tool(name = "email_send_external", value = "Sends an e-mail to an address outside the company")
    public String sendExternalEmail(@P("recipient address") String to, @P("subject line") String subject,
                                    @P("message text") String body) {
        String result = "e-mail '" + subject + "' sent to " + to;
        ran("email_send_external", result);
        return result;
    }

    @Tool(name = "crm_delete_account", value = "Deletes a customer account from the CRM")
    public String deleteAccount(@P("the account id") String accountId) {
        String result = "account " + accountId + " deleted";
        ran("crm_delete_account", result);
        return result;
    }

    private static void ran(String tool, String result) {
        System.out.println("  tool " + tool + " ran: " + result);
    }
}
