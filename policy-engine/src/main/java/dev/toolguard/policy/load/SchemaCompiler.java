package dev.toolguard.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.resource.AllowSchemaLoader;
import com.networknt.schema.resource.ClasspathSchemaLoader;
import dev.toolguard.policy.values.LocatedList;
import dev.toolguard.policy.values.LocatedMap;
import dev.toolguard.policy.values.LocatedNode;
import dev.toolguard.policy.values.LocatedScalar;
import dev.toolguard.policy.values.Problems;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Compiles {@code arguments} schemas: JSON Schema 2020-12 with {@code format} asserted. Nothing is ever
 * fetched: a {@code $ref} must point inside the schema ({@code #...}), {@code $id} and foreign
 * {@code $schema} are refused, and the factory may only load the meta-schemas bundled on the class path.
 */
final class SchemaCompiler {

    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";
    private static final Set<String> REFERENCE_KEYWORDS = Set.of("$ref", "$dynamicRef", "$recursiveRef");

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder
                    .jsonNodeReader(SchemaTreeReader.INSTANCE)
                    .metaSchema(JsonMetaSchema.builder(JsonMetaSchema.getV202012()).format(new MailboxFormat()).build())
                    .schemaLoaders(loaders -> loaders
                            .add(new AllowSchemaLoader(iri -> iri.toString().startsWith("classpath:")))
                            // the bundled meta-schemas are read through the class loader of this class: the
                            // validator's own default asks the thread's context class loader, the application's
                            .add(new ClasspathSchemaLoader(SchemaCompiler.class::getClassLoader))));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .pathType(PathType.JSON_POINTER)
            .build();

    private static volatile JsonSchema metaSchema;

    private SchemaCompiler() {
    }

    /** Compiles a located schema, or reports every problem found and returns null. */
    static ArgumentSchema compile(LocatedNode located, Problems problems) {
        int before = problems.size();
        LocatedMap map = located.asMap("'arguments'", problems);
        if (map == null) {
            return null;
        }
        checkReferences(located, problems);
        if (problems.size() > before) {
            return null;
        }
        JsonNode json = ArgumentSchema.toJson(located.toPlain());
        Set<String> seen = new HashSet<>();
        for (ValidationMessage m : metaSchema().validate(json)) {
            String pointer = m.getInstanceLocation().toString();
            if (seen.add(pointer)) {
                String message = m.getMessage().startsWith(pointer + ": ") ? m.getMessage().substring(pointer.length() + 2)
                        : m.getMessage();
                problems.add(locate(located, pointer).position(), "invalid JSON Schema at " + (pointer.isEmpty() ? "/" : pointer)
                        + ": " + message);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            JsonSchema schema = FACTORY.getSchema(json, CONFIG);
            schema.initializeValidators();
            return new ArgumentSchema(schema, declaredProperties(map));
        } catch (RuntimeException e) {
            problems.add(located.position(), "invalid JSON Schema: " + e.getMessage());
            return null;
        }
    }

    private static JsonSchema metaSchema() {
        JsonSchema m = metaSchema;
        if (m == null) {
            m = FACTORY.getSchema(SchemaLocation.of(DRAFT_2020_12), CONFIG);
            metaSchema = m;
        }
        return m;
    }

    private static Set<String> declaredProperties(LocatedMap schema) {
        if (schema.get("properties") instanceof LocatedMap properties) {
            return Set.copyOf(new LinkedHashSet<>(properties.keys()));
        }
        return null;
    }

    private static void checkReferences(LocatedNode node, Problems problems) {
        if (node instanceof LocatedMap map) {
            for (LocatedMap.Entry e : map.entries()) {
                LocatedNode value = e.value();
                if (value instanceof LocatedScalar s && s.value() instanceof String text) {
                    if (REFERENCE_KEYWORDS.contains(e.key()) && !text.startsWith("#")) {
                        problems.add(value.position(), e.key() + " '" + text
                                + "' points outside the bundle; only references inside the schema (#...) are allowed");
                    } else if (e.key().equals("$id")) {
                        problems.add(e.keyPosition(), "$id is not allowed: schemas in a bundle are anonymous and "
                                + "may only refer inside themselves");
                    } else if (e.key().equals("$schema") && !text.equals(DRAFT_2020_12) && !text.equals(DRAFT_2020_12 + "#")) {
                        problems.add(value.position(), "$schema must be " + DRAFT_2020_12 + " (JSON Schema 2020-12)");
                    }
                }
                checkReferences(value, problems);
            }
        } else if (node instanceof LocatedList list) {
            for (LocatedNode item : list.items()) {
                checkReferences(item, problems);
            }
        }
    }

    /** The deepest located node a JSON pointer reaches inside {@code root}. */
    private static LocatedNode locate(LocatedNode root, String pointer) {
        LocatedNode node = root;
        if (pointer.isEmpty()) {
            return node;
        }
        for (String raw : pointer.substring(1).split("/", -1)) {
            String segment = raw.replace("~1", "/").replace("~0", "~");
            LocatedNode next = null;
            if (node instanceof LocatedMap map) {
                next = map.get(segment);
            } else if (node instanceof LocatedList list) {
                try {
                    int i = Integer.parseInt(segment);
                    next = i >= 0 && i < list.size() ? list.get(i) : null;
                } catch (NumberFormatException e) {
                    next = null;
                }
            }
            if (next == null) {
                return node;
            }
            node = next;
        }
        return node;
    }
}
