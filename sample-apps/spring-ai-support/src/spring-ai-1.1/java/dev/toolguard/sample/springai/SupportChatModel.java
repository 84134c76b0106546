package dev.toolguard.sample.springai;

import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.DefaultToolExecutionEligibilityPredicate;
import org.springframework.ai.model.tool.ToolCallingManager;
import org.springframework.ai.model.tool.ToolExecutionEligibilityPredicate;
import org.springframework.ai.model.tool.ToolExecutionResult;

/**
 * The scripted model as a Spring AI 1.1 model: like the providers' models of that line, it runs the tools it
 * asks for through the {@link ToolCallingManager} and calls itself again with their results.
 */
final class SupportChatModel extends ScriptedChatModel {

    private final ToolExecutionEligibilityPredicate toolExecution = new DefaultToolExecutionEligibilityPredicate();

    SupportChatModel(ToolCallingManager toolCallingManager) {
        super(toolCallingManager);
    }

    @Override
    public ChatOptions getDefaultOptions() {
        return toolCallingOptions();
    }

    @Override
    protected ChatResponse afterReply(Prompt prompt, ChatResponse reply) {
        if (!toolExecution.isToolExecutionRequired(prompt.getOptions(), reply)) {
            return reply;
        }
        ToolExecutionResult result = toolCallingManager().executeToolCalls(prompt, reply);
        if (result.returnDirect()) {
            return ChatResponse.builder().from(reply).generations(ToolExecutionResult.buildGenerations(result)).build();
        }
        return call(new Prompt(result.conversationHistory(), prompt.getOptions()));
    }
}
