package dev.toolguard.sample.semantickernel;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for the OpenAI chat completions endpoint, so the sample runs without network or keys: it is the
 * HTTP client of Semantic Kernel's own {@code OpenAIAsyncClient}, so every request of the kernel's tool loop
 * arrives here as the JSON a real model would get. For each question it proposes the tool calls of its script,
 * one per request, then answers by quoting the last tool result it was sent.
 *
 * <p>Like a real HTTP client, it answers on an I/O thread of its own ({@code model-io}), not on the thread that
 * asked. It prints every request (the tools offered, the tool results) and every reply.
 */
public final class ScriptedOpenAi implements HttpClient {

    /** One call the model proposes: a tool name and its arguments as the JSON object a model writes. */
    public record ToolCall(String tool, String arguments) {
    }

    /** Semantic Kernel names a function {@code <plugin>-<function>} for the model. */
    static final String PLUGIN_SEPARATOR = "-";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<List<ToolCall>> script;
    private final Scheduler io = Schedulers.newSingle("model-io", true);
    private int turn = -1;
    private int step;
    private int request;

    /** @param script for each question in order, the calls the model proposes before it answers */
    public ScriptedOpenAi(List<List<ToolCall>> script) {
        this.script = List.copyOf(script);
    }

    @Override
    public Mono<HttpResponse> send(HttpRequest httpRequest) {
        Mono<String> body = httpRequest.getBody() == null ? Mono.just("{}")
                : Flux.from(httpRequest.getBody()).collectList().map(ScriptedOpenAi::text);
        return body.publishOn(io).flatMap(json -> reply(httpRequest, json));
    }

    private synchronized Mono<HttpResponse> reply(HttpRequest httpRequest, String body) {
        try {
            return Mono.just(new JsonResponse(httpRequest, JSON.writeValueAsString(complete(JSON.readTree(body)))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One chat completion: the request as OpenAI's API defines it, the reply likewise. */
    private ObjectNode complete(JsonNode chat) {
        JsonNode messages = chat.path("messages");
        JsonNode last = messages.get(messages.size() - 1);
        if ("user".equals(last.path("role").asText())) {
            turn++;
            step = 0;
            request = 0;
        }
        request++;
        String label = "request " + (turn + 1) + "." + request;
        System.out.println("  model <- " + label + ": tools=" + toolNames(chat.path("tools")));
        List<String[]> results = resultsSinceLastReply(messages);
        results.forEach(r -> System.out.println("  model <- " + label + ": result of " + r[0] + ": " + r[1]));

        List<ToolCall> calls = turn < script.size() ? script.get(turn) : List.of();
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        String finish;
        if (step < calls.size()) {
            ToolCall call = calls.get(step++);
            System.out.println("  model -> call " + call.tool() + " " + call.arguments());
            message.putNull("content");
            ObjectNode toolCall = message.putArray("tool_calls").addObject()
                    .put("id", "call-" + (turn + 1) + "-" + step).put("type", "function");
            toolCall.putObject("function").put("name", "Support" + PLUGIN_SEPARATOR + call.tool())
                    .put("arguments", call.arguments());
            finish = "tool_calls";
        } else {
            String answer = results.isEmpty() ? "I did not need a tool for that."
                    : results.get(results.size() - 1)[0] + " said: " + results.get(results.size() - 1)[1];
            System.out.println("  model -> answer");
            message.put("content", answer);
            finish = "stop";
        }
        ObjectNode completion = JSON.createObjectNode().put("id", "chatcmpl-" + (turn + 1) + "-" + request)
                .put("object", "chat.completion").put("created", 1_767_225_600L).put("model", "scripted");
        completion.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).set("message", message);
        completion.putObject("usage").put("prompt_tokens", 1).put("completion_tokens", 1).put("total_tokens", 2);
        return completion;
    }

    private static List<String> toolNames(JsonNode tools) {
        List<String> names = new ArrayList<>();
        tools.forEach(t -> {
            String name = t.path("function").path("name").asText();
            names.add(name.substring(name.indexOf(PLUGIN_SEPARATOR) + 1));
        });
        // Semantic Kernel lists a plugin's functions in reflection order, which the JVM does not fix; sorted, runs compare
        names.sort(null);
        return names;
    }

    /** The tool results after the model's last reply, as {tool name, text}: tool messages name only the call's id. */
    private static List<String[]> resultsSinceLastReply(JsonNode messages) {
        Map<String, String> toolOfCall = new HashMap<>();
        messages.forEach(m -> m.path("tool_calls").forEach(c -> {
            String name = c.path("function").path("name").asText();
            toolOfCall.put(c.path("id").asText(), name.substring(name.indexOf(PLUGIN_SEPARATOR) + 1));
        }));
        List<String[]> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && "tool".equals(messages.get(i).path("role").asText()); i--) {
            JsonNode m = messages.get(i);
            results.add(0, new String[]{toolOfCall.getOrDefault(m.path("tool_call_id").asText(), "?"), m.path("content").asText()});
        }
        return results;
    }

    private static String text(List<ByteBuffer> chunks) {
        int size = chunks.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(size);
        chunks.forEach(c -> all.put(c.duplicate()));
        return new String(all.array(), StandardCharsets.UTF_8);
    }

    /** A 200 response with a JSON body. */
    private static final class JsonResponse extends HttpResponse {
        private final byte[] body;
        private final HttpHeaders headers = new HttpHeaders().set("Content-Type", "application/json");

        JsonResponse(HttpRequest request, String body) {
            super(request);
            this.body = body.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int getStatusCode() {
            return 200;
        }

        @Override
        @SuppressWarnings("deprecation")
        public String getHeaderValue(String name) {
            return headers.getValue(name);
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public Flux<ByteBuffer> getBody() {
            return Flux.just(ByteBuffer.wrap(body));
        }

        @Override
        public Mono<byte[]> getBodyAsByteArray() {
            return Mono.just(body);
        }

        @Override
        public Mono<String> getBodyAsString() {
            return Mono.just(new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public Mono<String> getBodyAsString(Charset charset) {
            return Mono.just(new String(body, charset));
        }
    }
}
