package dev.toolguard.it.langchain4j.apps;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import org.slf4j.MDC;

import java.util.List;

/**
 * A LangChain4j AI service that runs its tool calls concurrently ({@code executeToolsConcurrently()}): the model
 * asks for two orders in one reply, and LangChain4j runs both calls on its executor's threads. Who is asking is
 * only in the MDC of the main thread. Prints where each tool body ran and what the model received back.
 */
public class ConcurrentToolsApp {

    public static class OrderTools {
        @Tool(name = "lookup_order", value = "Looks an order up")
        public String lookupOrder(@P(name = "order_id", value = "the order's id") String id) {
            String thread = Thread.currentThread().getName().replaceAll("\\d+", "N");
            System.out.println("body ran " + id + " on main thread: " + thread.equals("main"));
            return "order " + id + " shipped";
        }
    }

    interface Assistant {
        String ask(String question);
    }

    /** Asks for two orders at once, then answers with the tool results it was sent. */
    static final class OrderModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            if (messages.get(messages.size() - 1) instanceof UserMessage) {
                return ChatResponse.builder().aiMessage(AiMessage.from(List.of(
                        ToolExecutionRequest.builder().id("c1").name("lookup_order").arguments("{\"order_id\":\"o-1\"}").build(),
                        ToolExecutionRequest.builder().id("c2").name("lookup_order").arguments("{\"order_id\":\"o-2\"}").build())))
                        .build();
            }
            messages.stream().filter(m -> m instanceof ToolExecutionResultMessage)
                    .map(m -> ((ToolExecutionResultMessage) m).text()).sorted()
                    .forEach(text -> System.out.println("model received " + text));
            return ChatResponse.builder().aiMessage(AiMessage.from("done")).build();
        }
    }

    public static void main(String[] args) {
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new OrderModel())
                .tools(new OrderTools())
                .executeToolsConcurrently()
                .build();
        MDC.put("userId", args[0]);
        try {
            assistant.ask("where are my orders?");
        } finally {
            MDC.clear();
        }
        System.out.println("done");
    }
}
