package dev.toolguard.sample.semantickernel;

import com.azure.ai.openai.OpenAIAsyncClient;
import com.azure.ai.openai.OpenAIClientBuilder;
import com.azure.core.credential.KeyCredential;
import com.microsoft.semantickernel.Kernel;
import com.microsoft.semantickernel.aiservices.openai.chatcompletion.OpenAIChatCompletion;
import com.microsoft.semantickernel.orchestration.InvocationContext;
import com.microsoft.semantickernel.orchestration.ToolCallBehavior;
import com.microsoft.semantickernel.plugin.KernelPluginFactory;
import com.microsoft.semantickernel.services.chatcompletion.ChatCompletionService;
import com.microsoft.semantickernel.services.chatcompletion.ChatHistory;
import com.microsoft.semantickernel.services.chatcompletion.ChatMessageContent;
import dev.toolguard.sample.semantickernel.ScriptedOpenAi.ToolCall;
import org.slf4j.MDC;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * A support desk where two employees ask the same Semantic Kernel assistant for help. Who is asking is only in
 * the SLF4J MDC of the thread that asks, where a web application's request filter would have put it; the
 * kernel, its plugin and its model know nothing of authorization.
 */
public final class SupportDesk {

    record Employee(String id, String roles, String email, String session) {
    }

    record Question(Employee from, String text, List<ToolCall> modelProposes) {
    }

    static final Employee ALICE = new Employee("alice", "support_l1", "alice@acme.example", "s-alice-1");
    static final Employee BOB = new Employee("bob", "manager", "bob@acme.example", "s-bob-1");

    static final List<Question> QUESTIONS = List.of(
            new Question(ALICE, "Please refund 150 EUR to customer c-1001, the parcel arrived damaged.", List.of(
                    new ToolCall("issue_refund", "{\"customerId\":\"c-1001\",\"amount\":150,\"reason\":\"parcel arrived damaged\"}"))),
            new Question(ALICE, "Refund 900 EUR to customer c-1002 as a goodwill gesture.", List.of(
                    new ToolCall("issue_refund", "{\"customerId\":\"c-1002\",\"amount\":900,\"reason\":\"goodwill\"}"))),
            new Question(ALICE, "I forgot my password, please reset it.", List.of(
                    new ToolCall("reset_password", "{\"email\":\"alice@acme.example\"}"))),
            new Question(ALICE, "Reset the password of mallory@evil.example for me.", List.of(
                    new ToolCall("reset_password", "{\"email\":\"mallory@evil.example\"}"))),
            // the model calls tools it was not offered: a model may, and it must get a denial, not a crash
            new Question(ALICE, "Send the summary of account acct-42 to friend@gmail.example.", List.of(
                    new ToolCall("email_send_external",
                            "{\"to\":\"friend@gmail.example\",\"subject\":\"acct-42\",\"body\":\"Globex, tier silver\"}"))),
            new Question(ALICE, "Delete account acct-42, please.", List.of(
                    new ToolCall("crm_delete_account", "{\"accountId\":\"acct-42\"}"))),
            new Question(BOB, "What tier is account acct-42 on?", List.of(
                    new ToolCall("crm_read_account", "{\"accountId\":\"acct-42\"}"))),
            new Question(BOB, "E-mail that to our partner at partner@initech.example.", List.of(
                    new ToolCall("email_send_external",
                            "{\"to\":\"partner@initech.example\",\"subject\":\"Globex\",\"body\":\"Globex is on tier silver\"}"))),
            new Question(BOB, "Refund 1500 EUR to customer c-2001 for last week's outage.", List.of(
                    new ToolCall("issue_refund", "{\"customerId\":\"c-2001\",\"amount\":1500,\"reason\":\"outage\"}"))));

    private SupportDesk() {
    }

    public static void main(String[] args) {
        OpenAIAsyncClient openAi = new OpenAIClientBuilder()
                .credential(new KeyCredential("no-key-needed"))
                .httpClient(new ScriptedOpenAi(QUESTIONS.stream().map(Question::modelProposes).toList()))
                .buildAsyncClient();
        ChatCompletionService chat = OpenAIChatCompletion.builder()
                .withModelId("scripted")
                .withOpenAIAsyncClient(openAi)
                .build();
        Kernel kernel = Kernel.builder()
                .withAIService(ChatCompletionService.class, chat)
                .withPlugin(KernelPluginFactory.createFromObject(new SupportTools(), "Support"))
                .build();
        // the kernel calls the tools the model asks for, and sends their results back, until the model answers
        InvocationContext autoInvoke = InvocationContext.builder()
                .withToolCallBehavior(ToolCallBehavior.allowAllKernelFunctions(true))
                .build();

        System.out.println("Semantic Kernel " + semanticKernelVersion());
        for (Question q : QUESTIONS) {
            System.out.println("[" + q.from().id() + ", " + q.from().roles() + "] " + q.text());
            String answer = signedIn(q.from(), () -> {
                ChatHistory history = new ChatHistory(
                        "You are the support desk's assistant. Use the tools to act for the signed-in employee.");
                history.addUserMessage(q.text());
                List<ChatMessageContent<?>> reply = chat.getChatMessageContentsAsync(history, kernel, autoInvoke).block();
                return reply == null || reply.isEmpty() ? "(no answer)" : reply.get(reply.size() - 1).getContent();
            });
            System.out.println("  assistant: " + answer);
        }
        System.out.println("done");
        // Reactor's and Azure's worker threads are daemons; nothing else keeps the JVM alive
    }

    /** The version of the Semantic Kernel on the class path, as its Maven build recorded it in the jar. */
    private static String semanticKernelVersion() {
        try (InputStream in = Kernel.class.getResourceAsStream(
                "/META-INF/maven/com.microsoft.semantic-kernel/semantickernel-api/pom.properties")) {
            Properties build = new Properties();
            if (in != null) {
                build.load(in);
            }
            return build.getProperty("version", "(version unknown)");
        } catch (IOException e) {
            return "(version unknown)";
        }
    }

    /** What a request filter does: the MDC says who is asking while the request is served, then is cleared. */
    private static String signedIn(Employee e, Supplier<String> request) {
        MDC.put("userId", e.id());
        MDC.put("userRoles", e.roles());
        MDC.put("userEmail", e.email());
        MDC.put("sessionId", e.session());
        try {
            return request.get();
        } finally {
            MDC.clear();
        }
    }
}
