package dev.toolguard.sample.quarkus;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a real model, so the sample runs without network or keys. A question is its own script: a
 * question {@code "call issue_refund {\"customerId\":\"c-1\",\"amount\":900}"} makes the model propose that call,
 * whatever tools it was offered (as a model that insists would); once it has the tool's result, it answers by
 * quoting it. Any other question is answered without a tool.
 *
 * <p>It prints every request it receives (the tools offered, the tool results) and every reply: exactly what a
 * real model would get to see and say.
 */
public final class ScriptedChatModel implements ChatModel {

    /** How the AI service gets its model ({@code @RegisterAiService(chatLanguageModelSupplier = ...)}). */
    public static final class Supplier implements java.util.function.Supplier<ChatModel> {
        private static final ScriptedChatModel MODEL = new ScriptedChatModel();

        @Override
        public ChatModel get() {
            return MODEL;
        }
    }

    private int turn;
    private int request;

    @Override
    public synchronized ChatResponse doChat(ChatRequest chatRequest) {
        List<ChatMessage> messages = chatRequest.messages();
        ChatMessage last = messages.get(messages.size() - 1);
        if (last instanceof UserMessage) {
            turn++;
            request = 0;
        }
        request++;
        String label = "request " + turn + "." + request;
        System.out.println("  model <- " + label + ": tools=" + toolNames(chatRequest.toolSpecifications()));
        if (last instanceof ToolExecutionResultMessage r) {
            System.out.println("  model <- " + label + ": result of " + r.toolName() + ": " + r.text());
            System.out.println("  model -> answer");
            return ChatResponse.builder().aiMessage(AiMessage.from(r.toolName() + " said: " + r.text())).build();
        }
        String question = last instanceof UserMessage u ? u.singleText() : "";
        if (question.startsWith("call ")) {
            String call = question.substring("call ".length());
            int space = call.indexOf(' ');
            String tool = call.substring(0, space);
            String arguments = call.substring(space + 1);
            System.out.println("  model -> call " + tool + " " + arguments);
            ToolExecutionRequest proposed = ToolExecutionRequest.builder()
                    .id("call-" + turn).name(tool).arguments(arguments).build();
            return ChatResponse.builder().aiMessage(AiMessage.from(List.of(proposed))).build();
        }
        System.out.println("  model -> answer");
        return ChatResponse.builder().aiMessage(AiMessage.from("I did not need a tool for that.")).build();
    }

    private static List<String> toolNames(List<ToolSpecification> tools) {
        List<String> names = new ArrayList<>();
        if (tools != null) {
            tools.forEach(t -> names.add(t.name()));
        }
        names.sort(null);
        return names;
    }
}
