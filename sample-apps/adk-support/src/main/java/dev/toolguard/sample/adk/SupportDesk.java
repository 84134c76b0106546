package dev.toolguard.sample.adk;

import com.google.adk.agents.LlmAgent;
import com.google.adk.events.Event;
import com.google.adk.runner.InMemoryRunner;
import com.google.adk.sessions.Session;
import com.google.adk.tools.FunctionTool;
import com.google.genai.types.Content;
import com.google.genai.types.Part;

import java.util.List;

/**
 * A support assistant built on Google's Agent Development Kit: an {@code LlmAgent} with three function tools, run
 * by ADK's own {@code InMemoryRunner} against a scripted model. Each question is one turn of the agent's loop; the
 * agent's final answers are printed as {@code assistant: ...}. Nothing of ToolGuard is in this code.
 */
public final class SupportDesk {

    static final String APP = "support-desk";
    static final String USER = "agent-user";

    /** The questions asked when none are given on the command line. */
    static final List<String> QUESTIONS = List.of(
            "call crm_read_account {\"customerId\":\"c-1001\"}",
            "call issue_refund {\"customerId\":\"c-1002\",\"amount\":900}",
            "call delete_account {\"customerId\":\"c-1003\"}",
            "call issue_refund {\"customerId\":\"c-1004\",\"amount\":50}");

    private SupportDesk() {
    }

    public static void main(String[] args) {
        SupportTools tools = new SupportTools();
        LlmAgent agent = LlmAgent.builder()
                .name("support")
                .description("Answers customers' questions about their accounts")
                .instruction("You help support staff with customer accounts.")
                .model(new ScriptedModel())
                .tools(FunctionTool.create(tools, "readAccount"), FunctionTool.create(tools, "issueRefund"),
                        FunctionTool.create(tools, "deleteAccount"))
                .build();
        InMemoryRunner runner = new InMemoryRunner(agent, APP);
        Session session = runner.sessionService().createSession(APP, USER).blockingGet();
        for (String question : args.length > 0 ? List.of(args) : QUESTIONS) {
            System.out.println("[support] " + question);
            Content asked = Content.builder().role("user").parts(List.of(Part.fromText(question))).build();
            for (Event event : runner.runAsync(USER, session.id(), asked).blockingIterable()) {
                if (event.finalResponse()) {
                    event.content().flatMap(Content::parts).orElse(List.of()).stream()
                            .flatMap(p -> p.text().stream())
                            .forEach(text -> System.out.println("  assistant: " + text));
                }
            }
        }
        System.out.println("done");
    }
}
