package dev.toolguard.sample.embabel;

import com.embabel.agent.api.annotation.AchievesGoal;
import com.embabel.agent.api.annotation.Action;
import com.embabel.agent.api.annotation.Agent;
import com.embabel.agent.api.common.OperationContext;
import com.embabel.agent.core.ActionRetryPolicy;
import com.embabel.agent.domain.io.UserInput;

/**
 * The support agent: one action, which asks the model the customer's question with the support tools at hand.
 * Embabel's platform plans and runs it; the model's tool calls run in Embabel's own tool loop.
 */
@Agent(description = "Answers support staff's questions about customer accounts")
public class SupportAgent {

    /** What the agent produces: the model's final answer. */
    public record Answer(String text) {
    }

    private final SupportTools tools = new SupportTools();

    // the action may issue refunds: a failed run is reported, not repeated
    @Action(actionRetryPolicy = ActionRetryPolicy.FIRE_ONCE)
    @AchievesGoal(description = "The question about a customer's account is answered")
    public Answer answer(UserInput question, OperationContext context) {
        return new Answer(context.ai().withDefaultLlm().withToolObject(tools).generateText(question.getContent()));
    }
}
