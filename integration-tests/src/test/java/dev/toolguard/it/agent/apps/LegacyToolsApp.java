package dev.toolguard.it.agent.apps;

import dev.toolguard.it.agent.apps.legacy.AgentTool;
import dev.toolguard.it.agent.apps.legacy.Archiver;
import dev.toolguard.it.agent.apps.legacy.BillingService;
import dev.toolguard.it.agent.apps.legacy.LookupTool;

import java.util.List;
import java.util.function.Supplier;

/**
 * An application with no ToolGuard code at all: its tools are made so by rules.yaml (by class glob, by
 * implements, by its own annotation). The caller comes from a system property source.
 */
public class LegacyToolsApp {

    public static void main(String[] args) {
        BillingService billing = new BillingService();
        AgentTool lookup = new LookupTool();
        Archiver archiver = new Archiver();
        List<Supplier<String>> calls = List.of(
                () -> billing.issueRefund("c1", 150),
                () -> billing.issueRefund("c1", 900),
                () -> billing.issueRefund("c1", 50, "late delivery"),
                () -> lookup.execute("order-7"),
                () -> lookup.execute("secret"),
                () -> archiver.archive("t-1"),
                () -> archiver.describe("t-1"));
        int n = 0;
        for (Supplier<String> call : calls) {
            n++;
            try {
                System.out.println("call " + n + ": ok " + call.get());
            } catch (SecurityException e) {
                System.out.println("call " + n + ": denied " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
        System.out.println("done");
    }
}
