package dev.toolguard.agent.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.toolguard.policy.values.LocatedReader;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas the agent jar ships ({@code docs/schemas/*.schema.json}, on the class path as
 * {@code schemas/}), read the way an editor reads them: by their {@code $id}, fragments by JSON pointer.
 */
final class ShippedSchemas {

    /** The schemas, by the name a doc marker uses. */
    enum Kind {
        POLICY("policy.schema.json"), CONFIG("toolguard.schema.json"), RULES("rules.schema.json"),
        CASES("cases.schema.json");

        final String file;

        Kind(String file) {
            this.file = file;
        }

        static Kind named(String name) {
            return switch (name) {
                case "policy" -> POLICY;
                case "toolguard", "config" -> CONFIG;
                case "rules" -> RULES;
                case "cases" -> CASES;
                default -> throw new IllegalArgumentException("no schema named " + name);
            };
        }
    }

    static final String ID_PREFIX = "https://toolguard.dev/schemas/v1/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(ID_PREFIX, "classpath:schemas/")));
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private ShippedSchemas() {
    }

    /** Problems of {@code document} under the schema (or the part of it {@code pointer} names, e.g. {@code /$defs/tool}); empty when valid. */
    static List<String> problems(Kind kind, String pointer, Object document) {
        String location = ID_PREFIX + kind.file + (pointer == null || pointer.isEmpty() ? "" : "#" + pointer);
        JsonSchema schema = CACHE.computeIfAbsent(location, l -> FACTORY.getSchema(SchemaLocation.of(l)));
        JsonNode node = JSON.valueToTree(document);
        return schema.validate(node).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    static List<String> problems(Kind kind, Object document) {
        return problems(kind, null, document);
    }

    /** YAML (or JSON) text as plain values, read by the same reader the agent's loaders use. */
    static Object plain(String name, String text) {
        LocatedReader.ReadResult read = LocatedReader.read(name, text);
        if (!read.ok()) {
            throw new AssertionError(name + " is not readable YAML: " + read.problems());
        }
        return read.root() == null ? null : read.root().toPlain();
    }
}
