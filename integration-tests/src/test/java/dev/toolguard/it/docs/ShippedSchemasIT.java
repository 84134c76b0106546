package dev.toolguard.it.docs;

import dev.toolguard.it.agent.AgentProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent jar ships the JSON Schemas of docs/schemas/, byte for byte, where the docs say to find them. */
class ShippedSchemasIT {

    static final Path DOCS = Path.of(System.getProperty("toolguard.it.docs.dir"));

    @Test
    void everySchemaOfTheDocsIsInTheAgentJarUnderToolguardAgentSchemas() throws IOException {
        Path schemas = DOCS.resolve("schemas");
        List<Path> files;
        try (var list = Files.list(schemas)) {
            files = list.filter(p -> p.toString().endsWith(".schema.json")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "cases.schema.json", "policy.schema.json", "rules.schema.json", "toolguard.schema.json");
        try (ZipFile jar = new ZipFile(AgentProcess.AGENT_JAR.toFile())) {
            for (Path file : files) {
                ZipEntry entry = jar.getEntry("toolguard-agent/schemas/" + file.getFileName());
                assertThat(entry).as(file.getFileName() + " in the agent jar").isNotNull();
                try (InputStream in = jar.getInputStream(entry)) {
                    assertThat(in.readAllBytes()).isEqualTo(Files.readAllBytes(file));
                }
            }
        }
    }
}
