package dev.toolguard.sample.koog;

import ai.koog.agents.core.tools.ToolDescriptor;
import ai.koog.prompt.Prompt;
import ai.koog.prompt.dsl.ModerationResult;
import ai.koog.prompt.executor.model.PromptExecutor;
import ai.koog.prompt.llm.LLMCapability;
import ai.koog.prompt.llm.LLMProvider;
import ai.koog.prompt.llm.LLModel;
import ai.koog.prompt.message.Message;
import ai.koog.prompt.message.MessagePart;
import ai.koog.prompt.message.ResponseMetaInfo;
import ai.koog.utils.time.KoogClock;
import kotlin.coroutines.Continuation;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a real model, so the sample runs without network or keys: a Koog {@code PromptExecutor} whose
 * {@code execute} answers at once (a Kotlin {@code suspend} function may return its value without suspending). A
 * question is its own script: {@code "call issue_refund {\"customerId\":\"c-1\",\"amount\":900}"} makes the model
 * propose that call, whatever tools it was offered (as a model that insists would); once it has the tool's result,
 * it answers by quoting it. Any other question is answered without a tool.
 *
 * <p>It prints every request it receives (the tools offered, the tool results) and every reply: exactly what a real
 * model would get to see and say.
 */
final class ScriptedModel extends PromptExecutor {

    static final LLModel MODEL = new LLModel(new LLMProvider("scripted", "Scripted"), "scripted",
            List.of(LLMCapability.Tools.INSTANCE, LLMCapability.Completion.INSTANCE));

    private int turn;
    private int request;

    // Koog's executor methods are suspend functions hidden from Java (@JvmSynthetic): these implement them by their
    // compiled signatures, which is why they carry no @Override. Streaming is left out: Java cannot declare it next
    // to PromptExecutor's final Java-facing executeStreaming, and the agent's loop never streams.
    public synchronized Object execute(Prompt prompt, LLModel model, List<? extends ToolDescriptor> tools,
                                       Continuation<? super Message.Assistant> continuation) {
        List<Message> messages = prompt.getMessages();
        Message last = messages.get(messages.size() - 1);
        MessagePart.Tool.Result result = null;
        String question = "";
        for (MessagePart part : last.getParts()) {
            if (part instanceof MessagePart.Tool.Result r) {
                result = r;
            } else if (part instanceof MessagePart.Text t) {
                question = t.getText();
            }
        }
        if (result == null) {
            turn++;
            request = 0;
        }
        request++;
        String label = "request " + turn + "." + request;
        System.out.println("  model <- " + label + ": tools=" + offered(tools));
        if (result != null) {
            System.out.println("  model <- " + label + ": result of " + result.getTool() + (result.isError() ? " (error)" : "")
                    + ": " + result.getOutput());
            System.out.println("  model -> answer");
            return reply(new MessagePart.Text(result.getTool() + " said: " + result.getOutput()));
        }
        if (question.startsWith("call ")) {
            String call = question.substring("call ".length());
            int space = call.indexOf(' ');
            String tool = call.substring(0, space);
            String args = call.substring(space + 1);
            System.out.println("  model -> call " + tool + " " + args);
            return reply(new MessagePart.Tool.Call("call-" + turn, tool, args));
        }
        System.out.println("  model -> answer");
        return reply(new MessagePart.Text("I did not need a tool for that."));
    }

    public Object moderate(Prompt prompt, LLModel model, Continuation<? super ModerationResult> continuation) {
        throw new UnsupportedOperationException("the scripted model does not moderate");
    }

    @Override
    public void close() {
    }

    private static Message.Assistant reply(MessagePart.ResponsePart part) {
        return new Message.Assistant(part, ResponseMetaInfo.Companion.create(KoogClock.System));
    }

    /** The names of the tools in the request: what the model is told it may call. */
    private static List<String> offered(List<? extends ToolDescriptor> tools) {
        List<String> names = new ArrayList<>();
        for (ToolDescriptor t : tools) {
            names.add(t.getName());
        }
        names.sort(null);
        return names;
    }
}
