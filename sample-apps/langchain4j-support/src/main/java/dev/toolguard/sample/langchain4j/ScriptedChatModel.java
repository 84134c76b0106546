package dev.toolguard.sample.langchain4j;

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
 * A stand-in for a real model, so the sample runs without network or keys: for each question it proposes the
 * tool calls of its script, one per request, then answers by quoting the last tool result it was sent.
 *
 * <p>It prints every request LangChain4j sends it (the tools offered, the tool results) and every reply, which
 * is exactly what a real model would get to see and say.
 */
public final class ScriptedChatModel implements ChatModel {

    /** One call the model proposes: a tool name and its arguments as the JSON object a model writes. */
    public record ToolCall(String tool, String arguments) {
    }

    private final List<List<ToolCall>> script;
    private int turn = -1;
    private int step;
    private int request;

    /** @param script for each question in order, the calls the model proposes before it answers */
    public ScriptedChatModel(List<List<ToolCall>> script) {
        this.script = List.copyOf(script);
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        List<ChatMessage> messages = chatRequest.messages();
        ChatMessage last = messages.get(messages.size() - 1);
        if (last instanceof UserMessage) {
            turn++;
            step = 0;
            request = 0;
        }
        request++;
        String label = "request " + (turn + 1) + "." + request;
        System.out.println("  model <- " + label + ": tools=" + toolNames(chatRequest.toolSpecifications()));
        List<ToolExecutionResultMessage> results = resultsSinceLastReply(messages);
        results.forEach(r -> System.out.println("  model <- " + label + ": result of " + r.toolName() + ": " + r.text()));

        List<ToolCall> calls = turn < script.size() ? script.get(turn) : List.of();
        if (step < calls.size()) {
            ToolCall call = calls.get(step++);
            System.out.println("  model -> call " + call.tool() + " " + call.arguments());
            ToolExecutionRequest proposed = ToolExecutionRequest.builder()
                    .id("call-" + (turn + 1) + "-" + step).name(call.tool()).arguments(call.arguments()).build();
            return ChatResponse.builder().aiMessage(AiMessage.from(List.of(proposed))).build();
        }
        String answer = results.isEmpty() ? "I did not need a tool for that."
                : results.get(results.size() - 1).toolName() + " said: " + results.get(results.size() - 1).text();
        System.out.println("  model -> answer");
        return ChatResponse.builder().aiMessage(AiMessage.from(answer)).build();
    }

    private static List<String> toolNames(List<ToolSpecification> tools) {
        List<String> names = new ArrayList<>();
        if (tools != null) {
            tools.forEach(t -> names.add(t.name()));
        }
        // LangChain4j lists tools in reflection order, which the JVM does not fix; sorted, runs compare
        names.sort(null);
        return names;
    }

    private static List<ToolExecutionResultMessage> resultsSinceLastReply(List<ChatMessage> messages) {
        List<ToolExecutionResultMessage> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ToolExecutionResultMessage r; i--) {
            results.add(0, r);
        }
        return results;
    }
}
