package dev.toolguard.sample.springai;

import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.model.tool.ToolCallingManager;

/**
 * The scripted model as a Spring AI 2.0 model: it only answers; the {@code ChatClient}'s tool-calling advisor
 * runs the tools it asks for and calls it again with their results.
 */
final class SupportChatModel extends ScriptedChatModel {

    SupportChatModel(ToolCallingManager toolCallingManager) {
        super(toolCallingManager);
    }

    @Override
    public ChatOptions getOptions() {
        return toolCallingOptions();
    }
}
