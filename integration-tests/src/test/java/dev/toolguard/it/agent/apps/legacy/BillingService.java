package dev.toolguard.it.agent.apps.legacy;

/** Compiled with -parameters, but rules.yaml names the arguments itself (as for a jar built without). */
public class BillingService {
    public String issueRefund(String customerId, double amount) {
        System.out.println("body ran refund " + amount);
        return "refunded " + amount;
    }

    public String issueRefund(String customerId, double amount, String reason) {
        System.out.println("body ran refund " + amount + " " + reason);
        return "refunded " + amount + " for " + reason;
    }
}
