package dev.toolguard.agent.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/** Arguments handed over by a framework hook: a map by name, or a JSON object as text. */
final class NamedArguments {

    /** What a hook passes when the call has no arguments. */
    static final Object NONE = Map.of();

    private static final ObjectMapper JSON = new ObjectMapper();

    private NamedArguments() {
    }

    static ArgumentReader.Result read(Object args) {
        if (args instanceof Map<?, ?> map) {
            return PlainValueArgumentReader.readMap(map);
        }
        if (args instanceof CharSequence text) {
            String s = text.toString().trim();
            if (s.isEmpty()) {
                return ArgumentReader.Result.of(Map.of());
            }
            Object parsed;
            try {
                parsed = JSON.readValue(s, Object.class);
            } catch (JsonProcessingException e) {
                return ArgumentReader.Result.unreadable("", "the arguments are not valid JSON: " + e.getOriginalMessage());
            }
            if (parsed instanceof Map<?, ?> map) {
                return PlainValueArgumentReader.readMap(map);
            }
            return ArgumentReader.Result.unreadable("", "the arguments are not a JSON object");
        }
        return ArgumentReader.Result.unreadable("", "arguments of type " + args.getClass().getName() + " cannot be read");
    }
}
