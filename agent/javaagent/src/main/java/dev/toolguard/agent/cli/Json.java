package dev.toolguard.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.toolguard.policy.values.JsonWriter;
import dev.toolguard.policy.values.Redaction;

import java.util.Map;

/** JSON on the command line: the objects given to explain (read), the bodies sent to the admin API (written). */
final class Json {

    // Whole numbers as Long and fractions as Double: the JSON-like values the engine reads.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** Parses a JSON object given as option {@code --name}; anything else is a usage error. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String name, String text) {
        Object value;
        try {
            value = MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new UsageException("--" + name + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(value instanceof Map)) {
            throw new UsageException("--" + name + " must be a JSON object, e.g. '{\"amount\": 150}'");
        }
        return (Map<String, Object>) value;
    }

    /** The JSON text of a JSON-like value, by the one JSON writer (nothing redacted or cut: it is the user's). */
    static String write(Object value) {
        return new JsonWriter(Redaction.NONE).value(value).toString();
    }
}
