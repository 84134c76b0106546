package dev.toolguard.it.langchain4j.apps;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolMemoryId;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;

import java.util.List;
import java.util.Map;

/**
 * A LangChain4j AI service whose tool names its argument with {@code @P(name)} and also takes the
 * parameters LangChain4j fills in itself (the memory id, the invocation parameters). For each order id on
 * the command line the model asks to look the order up; prints what the tool body got and what the model
 * received back.
 */
public class NamedArgumentsApp {

    public static class OrderTools {
        @Tool(name = "lookup_order", value = "Looks an order up")
        public String lookupOrder(@P(name = "order_id", value = "the order's id") String id,
                                  @ToolMemoryId Object conversation, InvocationParameters parameters) {
            System.out.println("body ran " + id + " conversation=" + conversation + " channel=" + parameters.get("channel"));
            return "order " + id + " shipped";
        }
    }

    interface Assistant {
        String ask(@MemoryId String conversation, @dev.langchain4j.service.UserMessage String question,
                   InvocationParameters parameters);
    }

    /** Asks for the order id in the question, then answers with the tool result it was sent. */
    static final class OrderModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            ChatMessage last = messages.get(messages.size() - 1);
            if (last instanceof UserMessage question) {
                return ChatResponse.builder().aiMessage(AiMessage.from(List.of(ToolExecutionRequest.builder()
                        .id("c1").name("lookup_order").arguments("{\"order_id\":\"" + question.singleText() + "\"}")
                        .build()))).build();
            }
            String result = ((ToolExecutionResultMessage) last).text();
            System.out.println("model received " + result);
            return ChatResponse.builder().aiMessage(AiMessage.from("done")).build();
        }
    }

    public static void main(String[] args) {
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new OrderModel())
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(10))
                .tools(new OrderTools())
                .build();
        for (String orderId : args) {
            assistant.ask("conv-" + orderId, orderId, InvocationParameters.from(Map.of("channel", "web")));
        }
        System.out.println("done");
    }
}
