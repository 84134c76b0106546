package dev.toolguard.sample.adk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.adk.models.BaseLlm;
import com.google.adk.models.BaseLlmConnection;
import com.google.adk.models.LlmRequest;
import com.google.adk.models.LlmResponse;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.FunctionResponse;
import com.google.genai.types.Part;
import com.google.genai.types.Tool;
import io.reactivex.rxjava3.core.Flowable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for Gemini, so the sample runs without network or keys. A question is its own script: a question
 * {@code "call issue_refund {\"customerId\":\"c-1\",\"amount\":900}"} makes the model propose that call, whatever
 * tools it was offered (as a model that insists would); once it has the tool's function response, it answers by
 * quoting it. Any other question is answered without a tool.
 *
 * <p>It prints every request it receives (the function declarations offered, the function responses) and every
 * reply: exactly what a real model would get to see and say.
 */
final class ScriptedModel extends BaseLlm {

    private static final ObjectMapper JSON = new ObjectMapper();
    private int turn;
    private int request;

    ScriptedModel() {
        super("scripted");
    }

    @Override
    public synchronized Flowable<LlmResponse> generateContent(LlmRequest llmRequest, boolean stream) {
        List<Content> contents = llmRequest.contents();
        List<Part> parts = contents.get(contents.size() - 1).parts().orElse(List.of());
        FunctionResponse response = parts.stream().flatMap(p -> p.functionResponse().stream()).findFirst().orElse(null);
        if (response == null) {
            turn++;
            request = 0;
        }
        request++;
        String label = "request " + turn + "." + request;
        System.out.println("  model <- " + label + ": tools=" + offered(llmRequest));
        if (response != null) {
            String name = response.name().orElse("?");
            Object result = response.response().orElse(Map.of());
            System.out.println("  model <- " + label + ": result of " + name + ": " + result);
            System.out.println("  model -> answer");
            return reply(Part.fromText(name + " said: " + result));
        }
        String question = parts.stream().flatMap(p -> p.text().stream()).findFirst().orElse("");
        if (question.startsWith("call ")) {
            String call = question.substring("call ".length());
            int space = call.indexOf(' ');
            String tool = call.substring(0, space);
            Map<String, Object> args;
            try {
                args = JSON.readValue(call.substring(space + 1), new TypeReference<>() { });
            } catch (Exception e) {
                throw new IllegalArgumentException("not a JSON object: " + call, e);
            }
            System.out.println("  model -> call " + tool + " " + call.substring(space + 1));
            return reply(Part.builder().functionCall(
                    FunctionCall.builder().id("call-" + turn).name(tool).args(args).build()).build());
        }
        System.out.println("  model -> answer");
        return reply(Part.fromText("I did not need a tool for that."));
    }

    @Override
    public BaseLlmConnection connect(LlmRequest llmRequest) {
        throw new UnsupportedOperationException("the scripted model has no live mode");
    }

    private static Flowable<LlmResponse> reply(Part part) {
        return Flowable.just(LlmResponse.builder()
                .content(Content.builder().role("model").parts(List.of(part)).build()).build());
    }

    /** The names of the function declarations in the request: what the model is told it may call. */
    private static List<String> offered(LlmRequest llmRequest) {
        List<String> names = new ArrayList<>();
        for (Tool t : llmRequest.config().flatMap(c -> c.tools()).orElse(List.of())) {
            for (FunctionDeclaration d : t.functionDeclarations().orElse(List.of())) {
                names.add(d.name().orElse("?"));
            }
        }
        names.sort(null);
        return names;
    }
}
