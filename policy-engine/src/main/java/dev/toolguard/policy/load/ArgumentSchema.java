package dev.toolguard.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import dev.toolguard.policy.values.CanonicalJson;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tool's compiled {@code arguments} schema (JSON Schema 2020-12, {@code format} asserted). Thread-safe.
 */
public final class ArgumentSchema {

    /** Why arguments do not match: the JSON pointer of the failing value ({@code /amount}) and what is wrong. */
    public record Failure(String pointer, String message) {
    }

    private static final Set<String> NAMES_A_PROPERTY = Set.of("required", "additionalProperties",
            "dependentRequired", "unevaluatedProperties", "propertyNames");

    private final JsonSchema schema;
    private final Set<String> declaredProperties;

    ArgumentSchema(JsonSchema schema, Set<String> declaredProperties) {
        this.schema = schema;
        this.declaredProperties = declaredProperties;
    }

    /** The names under the schema's top-level {@code properties}, or null when it declares none. */
    public Set<String> declaredProperties() {
        return declaredProperties;
    }

    /**
     * Validates one call's arguments. Returns null when they match, else the first failure.
     * The arguments must be JSON-like values (see {@code ToolCall}).
     */
    public Failure validate(Map<String, Object> args) {
        Set<ValidationMessage> messages = schema.validate(toJson(args));
        if (messages.isEmpty()) {
            return null;
        }
        ValidationMessage first = messages.iterator().next();
        String pointer = first.getInstanceLocation().toString();
        String message = first.getMessage();
        if (message.startsWith(pointer + ": ")) {
            message = message.substring(pointer.length() + 2);
        }
        String property = first.getProperty();
        if (property != null && NAMES_A_PROPERTY.contains(first.getType())) {
            pointer = pointer + "/" + property.replace("~", "~0").replace("/", "~1");
        }
        return new Failure(pointer.isEmpty() ? "/" : pointer, message);
    }

    /**
     * Nodes whose text says itself as JSON without Jackson's databind: the validator writes every {@code enum}
     * value it compiles with {@code toString()}, which for Jackson's own text node builds an {@code ObjectMapper}
     * (several hundred classes, at every start whose bundle has an {@code enum}). Equal to Jackson's text nodes.
     */
    private static final class Nodes extends JsonNodeFactory {
        static final Nodes INSTANCE = new Nodes();

        private Nodes() {
            super(false);
        }

        @Override
        public TextNode textNode(String text) {
            return text == null ? null : new Text(text);
        }
    }

    private static final class Text extends TextNode {
        Text(String text) {
            super(text);
        }

        @Override
        public String toString() {
            return CanonicalJson.of(_value);
        }
    }

    static JsonNode toJson(Object value) {
        JsonNodeFactory f = Nodes.INSTANCE;
        if (value == null) {
            return f.nullNode();
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = f.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                node.set(String.valueOf(e.getKey()), toJson(e.getValue()));
            }
            return node;
        }
        if (value instanceof List<?> list) {
            ArrayNode node = f.arrayNode(list.size());
            for (Object item : list) {
                node.add(toJson(item));
            }
            return node;
        }
        if (value instanceof String s) {
            return f.textNode(s);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return f.numberNode(((Number) value).longValue());
        }
        if (value instanceof Double || value instanceof Float) {
            return f.numberNode(((Number) value).doubleValue());
        }
        if (value instanceof BigInteger bi) {
            return f.numberNode(bi);
        }
        if (value instanceof BigDecimal bd) {
            return f.numberNode(bd);
        }
        throw new IllegalArgumentException("not a JSON-like value: " + value.getClass().getName());
    }
}
