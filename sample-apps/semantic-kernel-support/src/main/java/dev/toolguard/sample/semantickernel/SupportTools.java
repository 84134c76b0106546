package dev.toolguard.sample.semantickernel;

import com.microsoft.semantickernel.semanticfunctions.annotations.DefineKernelFunction;
import com.microsoft.semantickernel.semanticfunctions.annotations.KernelFunctionParameter;

import java.util.Locale;

/**
 * The support desk's tools, a Semantic Kernel plugin. Each body says on standard output that it ran (and on
 * which thread: Semantic Kernel calls them on a worker of its own), so a reader of the output sees which calls
 * really happened.
 */
public class SupportTools {

    @DefineKernelFunction(name = "issue_refund", description = "Refunds an amount in EUR to a customer",
            returnType = "java.lang.String")
    public String issueRefund(
            @KernelFunctionParameter(name = "customerId", description = "the customer's id, e.g. c-1001") String customerId,
            @KernelFunctionParameter(name = "amount", description = "the amount in EUR", type = double.class) double amount,
            @KernelFunctionParameter(name = "reason", description = "why the customer is refunded") String reason) {
        String result = String.format(Locale.ROOT, "refunded %.2f EUR to %s (%s)", amount, customerId, reason);
        ran("issue_refund", result);
        return result;
    }

    @DefineKernelFunction(name = "reset_password", description = "Sends a password reset link to an account's e-mail address",
            returnType = "java.lang.String")
    public String resetPassword(
            @KernelFunctionParameter(name = "email", description = "the account's e-mail address") String email) {
        String result = "password reset link sent to " + email;
        ran("reset_password", result);
        return result;
    }

    @DefineKernelFunction(name = "crm_read_account", description = "Reads a customer account from the CRM",
            returnType = "java.lang.String")
    public String readAccount(
            @KernelFunctionParameter(name = "accountId", description = "the account id, e.g. acct-42") String accountId) {
        String result = "account " + accountId + ": Globex Corporation, tier silver, contact jane@globex.example";
        ran("crm_read_account", result);
        return result;
    }

    @DefineKernelFunction(name = "email_send_external", description = "Sends an e-mail to an address outside the company",
            returnType = "java.lang.String")
    public String sendExternalEmail(
            @KernelFunctionParameter(name = "to", description = "recipient address") String to,
            @KernelFunctionParameter(name = "subject", description = "subject line") String subject,
            @KernelFunctionParameter(name = "body", description = "message text") String body) {
        String result = "e-mail '" + subject + "' sent to " + to;
        ran("email_send_external", result);
        return result;
    }

    @DefineKernelFunction(name = "crm_delete_account", description = "Deletes a customer account from the CRM",
            returnType = "java.lang.String")
    public String deleteAccount(
            @KernelFunctionParameter(name = "accountId", description = "the account id") String accountId) {
        String result = "account " + accountId + " deleted";
        ran("crm_delete_account", result);
        return result;
    }

    private static void ran(String tool, String result) {
        System.out.println("  tool " + tool + " ran on " + threadKind() + ": " + result);
    }

    /** The kind of thread, without its number, so runs compare: Semantic Kernel's workers are boundedElastic-N. */
    private static String threadKind() {
        return Thread.currentThread().getName().replaceAll("-\\d+$", "");
    }
}
