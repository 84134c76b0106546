package dev.toolguard.sample.quarkus;

import io.quarkus.logging.Log;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Inject;

/**
 * Runs the support desk's questions through the assistant and prints what it answers. The questions are the
 * command line's (one argument each; a question starting with {@code case:} goes to the case tools), or a few
 * of its own.
 */
@QuarkusMain
public class SupportDesk implements QuarkusApplication {

    @Inject
    SupportAssistant assistant;

    @Override
    @ActivateRequestContext // the AI service is request scoped, as for a REST endpoint
    public int run(String... args) {
        Log.info("support desk ready");
        String[] questions = args.length > 0 ? args : new String[] {
                "call crm_read_account {\"customerId\":\"c-1001\"}",
                "call issue_refund {\"customerId\":\"c-1002\",\"amount\":900}",
                "call delete_account {\"customerId\":\"c-1003\"}",
                "case:call purge_case {\"caseId\":\"k-7\"}",
                "call lookup_order {\"orderId\":\"o-1\"}",
                "call wipe_orders {}",
        };
        for (String q : questions) {
            boolean caseQuestion = q.startsWith("case:");
            String question = caseQuestion ? q.substring("case:".length()) : q;
            System.out.println("[" + (caseQuestion ? "cases" : "support") + "] " + question);
            String answer = caseQuestion ? assistant.chatAboutCases(question) : assistant.chat(question);
            System.out.println("  assistant: " + answer);
        }
        System.out.println("done");
        return 0;
    }
}
