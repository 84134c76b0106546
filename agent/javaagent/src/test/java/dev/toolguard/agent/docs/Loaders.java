package dev.toolguard.agent.docs;

import dev.toolguard.agent.config.ConfigResolver;
import dev.toolguard.instrumentation.file.RulesFile;
import dev.toolguard.policy.cases.CasesFile;
import dev.toolguard.policy.load.BundleLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** What the agent's own loaders say of a whole file: the schemas must agree with them. */
final class Loaders {

    private Loaders() {
    }

    /** Every problem the loader of {@code kind} finds in {@code text}; empty when it loads. */
    static List<String> problems(ShippedSchemas.Kind kind, String name, String text) throws IOException {
        return switch (kind) {
            case POLICY -> BundleLoader.loadTexts(Map.of(name, text)).errors().stream().map(Object::toString).toList();
            case RULES -> RulesFile.read(name, text).problems().stream().map(Object::toString).toList();
            case CASES -> CasesFile.parse(name, text).errors().stream().map(Object::toString).toList();
            case CONFIG -> {
                Path dir = Files.createTempDirectory("toolguard-config-");
                Path file = dir.resolve(Path.of(name).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_") + ".yaml");
                Files.writeString(file, text);
                yield ConfigResolver.resolve("config=" + file, new Properties(), EVERY_TOKEN_SET, dir)
                        .problems().stream().map(Object::toString).toList();
            }
        };
    }

    /** An environment where every variable but the agent options holds a long token, so that admin users' variables count as set. */
    private static final Map<String, String> EVERY_TOKEN_SET = new AbstractMap<>() {
        @Override
        public String get(Object key) {
            // TOOLGUARD_<KEY> would be an agent option (SPEC §1): those stay unset
            return Set.of("TOOLGUARD_CONFIG", "TOOLGUARD_POLICY", "TOOLGUARD_MODE", "TOOLGUARD_AUDIT").contains(key)
                    ? null : "token-of-" + key + "-0123456789abcdef";
        }

        @Override
        public Set<Entry<String, String>> entrySet() {
            return Set.of();
        }
    };
}
