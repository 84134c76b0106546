package dev.toolguard.agent.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.toolguard.policy.values.ValueBounds;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Arguments handed over by a framework hook: a map by name, or a JSON object as text. JSON text is parsed
 * token by token within the reader's bounds, so a model's deeply nested, very long or very wide JSON stops
 * at the JSON pointer where it passed a bound instead of being built whole first.
 */
final class NamedArguments {

    /** What a hook passes when the call has no arguments. */
    static final Object NONE = Map.of();

    private NamedArguments() {
    }

    static ArgumentReader.Result read(Object args, PlainValueArgumentReader reader) {
        if (args instanceof Map<?, ?> map) {
            return reader.readArgumentMap(map);
        }
        if (args instanceof CharSequence text) {
            ValueBounds bounds = reader.bounds();
            String s = text.toString().trim();
            if (s.isEmpty()) {
                return ArgumentReader.Result.of(Map.of());
            }
            JsonFactory json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(bounds.maxString()).maxNestingDepth(bounds.maxDepth() + 2).build()).build();
            Object parsed;
            try (JsonParser parser = json.createParser(s)) {
                BoundedJson conversion = new BoundedJson(parser, bounds);
                try {
                    parser.nextToken();
                    parsed = conversion.value(-1);
                    if (parser.nextToken() != null) {
                        return ArgumentReader.Result.unreadable("", "the arguments are not valid JSON: content after the object");
                    }
                } catch (OverBound e) {
                    return ArgumentReader.Result.unreadable(parser.getParsingContext().pathAsPointer().toString(),
                            e.getMessage());
                }
            } catch (JsonProcessingException e) {
                return ArgumentReader.Result.unreadable("", "the arguments are not valid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                return ArgumentReader.Result.unreadable("", "the arguments cannot be read: " + e.getMessage());
            }
            if (parsed instanceof Map<?, ?> map) {
                return reader.readArgumentMap(map);
            }
            return ArgumentReader.Result.unreadable("", "the arguments are not a JSON object");
        }
        return ArgumentReader.Result.unreadable("", "arguments of type " + args.getClass().getName() + " cannot be read");
    }

    /** A bound passed while parsing; the parser's position says where. */
    private static final class OverBound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OverBound(String message) {
            super(message, null, false, false);
        }
    }

    /** JSON tokens to plain values, counting items and depth as {@link dev.toolguard.policy.values.PlainValues} does. */
    private static final class BoundedJson {
        private final JsonParser parser;
        private final ValueBounds bounds;
        private int items;
        private int arguments;

        BoundedJson(JsonParser parser, ValueBounds bounds) {
            this.parser = parser;
            this.bounds = bounds;
        }

        /** The value at the current token; {@code depth} is -1 for the argument object itself. */
        Object value(int depth) throws IOException {
            JsonToken token = parser.currentToken();
            if (token == null) {
                throw new JsonParseEnd(parser);
            }
            switch (token) {
                case START_OBJECT -> {
                    checkDepth(depth);
                    Map<String, Object> out = new LinkedHashMap<>();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        if (key.length() > bounds.maxString()) {
                            throw new OverBound(bounds.longKey());
                        }
                        parser.nextToken();
                        if (depth >= 0) {
                            item();
                        } else if (++arguments > bounds.maxItems()) {
                            // the argument object's own entries are the arguments, counted on their own
                            throw new OverBound(bounds.tooMany());
                        }
                        out.put(key, value(depth + 1));
                    }
                    return out;
                }
                case START_ARRAY -> {
                    checkDepth(depth);
                    List<Object> out = new ArrayList<>();
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        item();
                        out.add(value(depth + 1));
                    }
                    return out;
                }
                case VALUE_STRING -> {
                    try {
                        return parser.getText();
                    } catch (StreamConstraintsException e) {
                        throw new OverBound("a string longer than arguments.max_string (" + bounds.maxString() + ")");
                    }
                }
                case VALUE_NUMBER_INT -> {
                    return parser.getNumberValue();
                }
                case VALUE_NUMBER_FLOAT -> {
                    return parser.getDecimalValue(); // exactly as written; the reader decides what a policy sees
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return token == JsonToken.VALUE_TRUE;
                }
                default -> {
                    return null;
                }
            }
        }

        private void checkDepth(int depth) {
            if (depth >= bounds.maxDepth()) {
                throw new OverBound(bounds.tooDeep());
            }
        }

        private void item() {
            if (++items > bounds.maxItems()) {
                throw new OverBound(bounds.tooMany());
            }
        }
    }

    /** Input that ends inside a value. */
    private static final class JsonParseEnd extends JsonProcessingException {
        private static final long serialVersionUID = 1L;

        JsonParseEnd(JsonParser parser) {
            super("unexpected end of input", parser.currentLocation());
        }
    }
}
