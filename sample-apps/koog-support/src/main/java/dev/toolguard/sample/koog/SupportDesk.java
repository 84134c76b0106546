package dev.toolguard.sample.koog;

import ai.koog.agents.core.agent.AIAgent;
import ai.koog.agents.core.tools.ToolRegistry;

import java.util.List;

/**
 * A support assistant built on JetBrains Koog: a Koog agent (its default single-run strategy: ask the model, run
 * the tools it calls, send it their results, until it answers) with four tools (one of them asynchronous: {@link OrderStatusTool}), run against a scripted prompt
 * executor. Each question is one run of the agent; its answers are printed as {@code assistant: ...}. Nothing of
 * ToolGuard is in this code.
 */
public final class SupportDesk {

    /** The questions asked when none are given on the command line. */
    static final List<String> QUESTIONS = List.of(
            "call crm_read_account {\"customerId\":\"c-1001\"}",
            "call issue_refund {\"customerId\":\"c-1002\",\"amount\":900}",
            "call delete_account {\"customerId\":\"c-1003\"}",
            "call issue_refund {\"customerId\":\"c-1004\",\"amount\":50}",
            "call check_order_status {\"orderId\":\"o-77\"}");

    private SupportDesk() {
    }

    public static void main(String[] args) throws Exception {
        SupportTools tools = new SupportTools();
        ToolRegistry registry = ToolRegistry.Companion.builder()
                .tool(SupportTools.class.getMethod("readAccount", String.class), tools, "crm_read_account",
                        "Reads a customer's account")
                .tool(SupportTools.class.getMethod("issueRefund", String.class, double.class), tools, "issue_refund",
                        "Refunds an amount in EUR to a customer")
                .tool(SupportTools.class.getMethod("deleteAccount", String.class), tools, "delete_account",
                        "Deletes a customer's account and its history")
                .tool(new OrderStatusTool())
                .build();
        ScriptedModel model = new ScriptedModel();
        for (String question : args.length > 0 ? List.of(args) : QUESTIONS) {
            System.out.println("[support] " + question);
            AIAgent<String, String> agent = AIAgent.Companion.builder()
                    .promptExecutor(model)
                    .llmModel(ScriptedModel.MODEL)
                    .systemPrompt("You help support staff with customer accounts.")
                    .toolRegistry(registry)
                    .build();
            try {
                System.out.println("  assistant: " + agent.run(question));
            } catch (RuntimeException e) {
                // a run that fails as a whole: the desk says so and takes the next question
                System.out.println("  run failed: " + e);
            }
        }
        System.out.println("done");
    }
}
