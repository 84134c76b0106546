package dev.toolguard.policy.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.serialization.JsonNodeReader;
import dev.toolguard.policy.values.LocatedReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * How the schema factory reads the meta-schemas it loads (the bundled JSON Schema 2020-12 documents): with the
 * project's one reader into plain values, then into a tree of {@code JsonNodeFactory} nodes. The validator's own
 * reader builds an {@code ObjectMapper}, several hundred of Jackson's databind classes defined at every start whose
 * bundle has {@code arguments}, for what a streaming parser reads as well. A document that does not read is an
 * {@link IOException}, which the factory reports as it does its own reader's.
 */
final class SchemaTreeReader implements JsonNodeReader {

    static final SchemaTreeReader INSTANCE = new SchemaTreeReader();

    private SchemaTreeReader() {
    }

    @Override
    public JsonNode readTree(String content, InputFormat format) throws IOException {
        LocatedReader.ReadResult read = format == InputFormat.YAML ? LocatedReader.readYaml("schema", content)
                : LocatedReader.readJson("schema", content);
        if (!read.ok()) {
            throw new IOException("the schema does not read: " + read.problems());
        }
        return ArgumentSchema.toJson(read.root().toPlain());
    }

    @Override
    public JsonNode readTree(InputStream content, InputFormat format) throws IOException {
        return readTree(new String(content.readAllBytes(), StandardCharsets.UTF_8), format);
    }
}
