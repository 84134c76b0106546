package dev.toolguard.sample.springai;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.definition.ToolDefinition;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat model that answers from {@link Script} instead of a network: for a user's message it proposes the
 * scripted tool call, and after a tool result it answers with text quoting that result. Like a provider's model
 * it asks the {@link ToolCallingManager} which tools to offer, and it prints each request it receives: the tools
 * offered and the tool results it reads.
 */
public abstract class ScriptedChatModel implements ChatModel {

    private final ToolCallingManager toolCallingManager;
    private final AtomicInteger callIds = new AtomicInteger();

    protected ScriptedChatModel(ToolCallingManager toolCallingManager) {
        this.toolCallingManager = toolCallingManager;
    }

    protected final ToolCallingManager toolCallingManager() {
        return toolCallingManager;
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        List<String> offered = prompt.getOptions() instanceof ToolCallingChatOptions options
                ? toolCallingManager.resolveToolDefinitions(options).stream().map(ToolDefinition::name).toList()
                : List.of();
        System.out.println("  model received tools: " + offered.stream().sorted().toList());
        List<Message> messages = prompt.getInstructions();
        Message last = messages.get(messages.size() - 1);
        if (last instanceof ToolResponseMessage results) {
            results.getResponses().forEach(r ->
                    System.out.println("  model received tool result " + r.name() + ": " + r.responseData()));
        }
        return afterReply(prompt, reply(last));
    }

    /** What the model says to the last message of the conversation. */
    private ChatResponse reply(Message last) {
        if (last instanceof ToolResponseMessage results && !results.getResponses().isEmpty()) {
            ToolResponseMessage.ToolResponse result = results.getResponses().get(results.getResponses().size() - 1);
            return text(result.name() + " answered: " + result.responseData());
        }
        Script.Turn turn = last instanceof UserMessage user ? Script.forMessage(user.getText()) : null;
        if (turn == null) {
            return text("I cannot help with that.");
        }
        System.out.println("  model calls " + turn.tool() + " " + turn.arguments());
        AssistantMessage.ToolCall call = new AssistantMessage.ToolCall(
                "call-" + callIds.incrementAndGet(), "function", turn.tool(), turn.arguments());
        return new ChatResponse(List.of(new Generation(AssistantMessage.builder().content("").toolCalls(List.of(call)).build())));
    }

    private static ChatResponse text(String text) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }

    /**
     * What happens to the model's reply before the caller gets it: on Spring AI 1.1 the model itself runs the
     * tools it asked for, as the providers' models do; on 2.0 the {@code ChatClient}'s tool-calling advisor does.
     */
    protected ChatResponse afterReply(Prompt prompt, ChatResponse reply) {
        return reply;
    }

    /** Options that let the framework attach tools and a tool context to each request. */
    protected static ChatOptions toolCallingOptions() {
        return ToolCallingChatOptions.builder().build();
    }
}
