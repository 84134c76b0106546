package dev.toolguard.sample.springai;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The chat model and the agent's {@code ChatClient}, as Spring AI 2.0 wires them. */
@Configuration(proxyBeanMethods = false)
class ChatConfiguration {

    @Bean
    ChatModel supportChatModel(ToolCallingManager toolCallingManager) {
        return new SupportChatModel(toolCallingManager);
    }

    @Bean
    ChatClient supportChatClient(ChatClient.Builder builder, SupportTools tools, ToolCallback sendEmailTool) {
        // 2.0 takes annotated tool objects and tool callbacks alike
        return builder.defaultTools(tools, sendEmailTool).build();
    }
}
