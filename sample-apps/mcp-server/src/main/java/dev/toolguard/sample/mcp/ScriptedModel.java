package dev.toolguard.sample.mcp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for a language model: it proposes the tool calls of a fixed script, one per turn, whatever it is
 * offered, and finally answers with text quoting the last tool result it read. It keeps every request it
 * received, so one can see exactly what reached the model.
 */
final class ScriptedModel {

    /** One call the model proposes. */
    record ProposedCall(String tool, Map<String, Object> arguments) {
    }

    /** What the model received in one turn: the tools offered and the result of its previous call, if any. */
    record Request(List<String> toolsOffered, String previousResult) {
    }

    private final Deque<ProposedCall> script;
    private final List<Request> received = new ArrayList<>();

    ScriptedModel(List<ProposedCall> script) {
        this.script = new ArrayDeque<>(script);
    }

    /** The next call, or null when the model is ready to answer. */
    ProposedCall next(Request request) {
        received.add(request);
        return script.poll();
    }

    /** The model's final answer. */
    String answer() {
        String last = received.isEmpty() ? null : received.get(received.size() - 1).previousResult();
        return last == null ? "I could not do anything." : "Done. The last tool said: \"" + last + "\"";
    }

    List<Request> received() {
        return List.copyOf(received);
    }
}
