package dev.toolguard.it.langchain4j.apps;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.ToolExecutor;

import java.util.List;
import java.util.Map;

/**
 * A LangChain4j AI service whose one tool is programmatic: a {@code ToolSpecification} and a lambda
 * {@code ToolExecutor}, no {@code @Tool} method anywhere. For each address on the command line the model asks
 * to e-mail it; prints what the tool body got and what the model received back.
 */
public class ProgrammaticToolsApp {

    interface Assistant {
        String ask(String question);
    }

    /** Asks to e-mail the address in the question, then answers with the tool result it was sent. */
    static final class MailModel implements ChatModel {
        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ChatMessage> messages = request.messages();
            ChatMessage last = messages.get(messages.size() - 1);
            if (last instanceof UserMessage question) {
                System.out.println("model offered " + request.toolSpecifications().stream().map(ToolSpecification::name).toList());
                return ChatResponse.builder().aiMessage(AiMessage.from(List.of(ToolExecutionRequest.builder()
                        .id("c1").name("send_email").arguments("{\"to\":\"" + question.singleText() + "\"}")
                        .build()))).build();
            }
            System.out.println("model received " + ((ToolExecutionResultMessage) last).text());
            return ChatResponse.builder().aiMessage(AiMessage.from("done")).build();
        }
    }

    public static void main(String[] args) {
        ToolSpecification sendEmail = ToolSpecification.builder().name("send_email").description("Sends an e-mail")
                .parameters(JsonObjectSchema.builder().addStringProperty("to").required("to").build()).build();
        ToolExecutor send = (request, memoryId) -> {
            System.out.println("body ran send_email " + request.arguments());
            return "sent";
        };
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(new MailModel())
                .tools(Map.of(sendEmail, send))
                .build();
        for (String to : args) {
            assistant.ask(to);
        }
        System.out.println("done");
    }
}
