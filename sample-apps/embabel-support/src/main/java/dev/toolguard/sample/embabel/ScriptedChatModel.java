package dev.toolguard.sample.embabel;

import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.MessageType;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolCallingManager;
import org.springframework.ai.model.tool.DefaultToolExecutionEligibilityPredicate;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionResult;
import org.springframework.ai.tool.ToolCallback;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a provider's chat model, so the sample runs without network or keys. A question is its own script:
 * {@code call issue_refund {"customerId":"c-1","amount":900}} makes the model propose that call, whatever tools it
 * was offered (as a model that insists would); once it has the tool's response, it answers by quoting it.
 *
 * <p>It prints every request it receives (the tools offered, the tool responses) and every reply: exactly what a
 * real model would get to see and say. Where the caller leaves tool execution to the model (Spring AI's
 * {@code ChatClient}), it runs the tools through Spring AI's {@code ToolCallingManager}, as the providers' models do;
 * Embabel's own tool loop runs them itself.
 */
final class ScriptedChatModel implements ChatModel {

    private final ToolCallingManager toolCallingManager = DefaultToolCallingManager.builder().build();
    private final DefaultToolExecutionEligibilityPredicate toolExecution = new DefaultToolExecutionEligibilityPredicate();
    private int turn;
    private int request;

    @Override
    public synchronized ChatResponse call(Prompt prompt) {
        List<Message> messages = prompt.getInstructions();
        Message last = messages.get(messages.size() - 1);
        if (!(last instanceof ToolResponseMessage)) {
            turn++;
            request = 0;
        }
        request++;
        String label = "request " + turn + "." + request;
        System.out.println("  model <- " + label + ": tools=" + offered(prompt));
        ChatResponse reply;
        if (last instanceof ToolResponseMessage results && !results.getResponses().isEmpty()) {
            ToolResponseMessage.ToolResponse result = results.getResponses().get(results.getResponses().size() - 1);
            System.out.println("  model <- " + label + ": result of " + result.name() + ": " + result.responseData());
            System.out.println("  model -> answer");
            reply = text(result.name() + " said: " + result.responseData());
        } else {
            reply = propose(question(messages));
        }
        if (!toolExecution.isToolExecutionRequired(prompt.getOptions(), reply)) {
            return reply;
        }
        ToolExecutionResult executed = toolCallingManager.executeToolCalls(prompt, reply);
        return call(new Prompt(executed.conversationHistory(), prompt.getOptions()));
    }

    @Override
    public ChatOptions getDefaultOptions() {
        return ToolCallingChatOptions.builder().build();
    }

    /** The call the question scripts, or a plain answer. */
    private ChatResponse propose(String question) {
        int at = question.indexOf("call ");
        if (at < 0) {
            System.out.println("  model -> answer");
            return text("I did not need a tool for that.");
        }
        String call = question.substring(at + "call ".length()).strip();
        int space = call.indexOf(' ');
        String tool = call.substring(0, space);
        String arguments = call.substring(space + 1).strip();
        System.out.println("  model -> call " + tool + " " + arguments);
        AssistantMessage.ToolCall toolCall = new AssistantMessage.ToolCall("call-" + turn, "function", tool, arguments);
        return new ChatResponse(List.of(new Generation(
                AssistantMessage.builder().content("").toolCalls(List.of(toolCall)).build())));
    }

    /** The user's question: the text of the last user message. */
    private static String question(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).getMessageType() == MessageType.USER) {
                String text = messages.get(i).getText();
                int line = text.indexOf("call ");
                return line < 0 ? text : text.substring(line).lines().findFirst().orElse("");
            }
        }
        return "";
    }

    private static ChatResponse text(String text) {
        return new ChatResponse(List.of(new Generation(new AssistantMessage(text))));
    }

    /** The names of the tools in the request: what the model is told it may call. */
    private static List<String> offered(Prompt prompt) {
        List<String> names = new ArrayList<>();
        if (prompt.getOptions() instanceof ToolCallingChatOptions options) {
            for (ToolCallback callback : options.getToolCallbacks()) {
                names.add(callback.getToolDefinition().name());
            }
        }
        names.sort(null);
        return names;
    }
}
