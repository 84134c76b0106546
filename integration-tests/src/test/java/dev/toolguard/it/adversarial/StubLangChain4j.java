package dev.toolguard.it.adversarial;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A LangChain4j of our own making, compiled and jarred at test time: just the classes the agent's LangChain4j
 * hooks name, laid out as LangChain4j ships them (the annotation and the request in {@code langchain4j-core}, the
 * tool service in {@code langchain4j}, each jar with Maven's {@code pom.properties}), at any version and with the
 * method through which an AI service runs every tool call under any name. A real release whose hooked method was
 * renamed looks like this to the agent.
 */
final class StubLangChain4j {

    /** The name LangChain4j gives the method the agent hooks to decide programmatic tools. */
    static final String HOOKED_METHOD = "executeWithErrorHandling";

    private static final Map<String, String> CORE = Map.of(
            "dev/langchain4j/agent/tool/Tool.java", """
                    package dev.langchain4j.agent.tool;

                    import java.lang.annotation.ElementType;
                    import java.lang.annotation.Retention;
                    import java.lang.annotation.RetentionPolicy;
                    import java.lang.annotation.Target;

                    @Retention(RetentionPolicy.RUNTIME)
                    @Target(ElementType.METHOD)
                    public @interface Tool {
                        String name() default "";

                        String[] value() default {};
                    }
                    """,
            "dev/langchain4j/agent/tool/ToolExecutionRequest.java", """
                    package dev.langchain4j.agent.tool;

                    public class ToolExecutionRequest {
                        private final String name;
                        private final String arguments;

                        public ToolExecutionRequest(String name, String arguments) {
                            this.name = name;
                            this.arguments = arguments;
                        }

                        public String name() {
                            return name;
                        }

                        public String arguments() {
                            return arguments;
                        }

                        public static Builder builder() {
                            return new Builder();
                        }

                        public static final class Builder {
                            private String name;
                            private String arguments;

                            public Builder name(String name) {
                                this.name = name;
                                return this;
                            }

                            public Builder arguments(String arguments) {
                                this.arguments = arguments;
                                return this;
                            }

                            public ToolExecutionRequest build() {
                                return new ToolExecutionRequest(name, arguments);
                            }
                        }
                    }
                    """,
            "dev/langchain4j/agent/tool/ToolSpecification.java", """
                    package dev.langchain4j.agent.tool;

                    public class ToolSpecification {
                        private final String name;

                        public ToolSpecification(String name) {
                            this.name = name;
                        }

                        public String name() {
                            return name;
                        }
                    }
                    """);

    private static final Map<String, String> MAIN = Map.of(
            "dev/langchain4j/service/tool/ToolExecutor.java", """
                    package dev.langchain4j.service.tool;

                    import dev.langchain4j.agent.tool.ToolExecutionRequest;

                    public interface ToolExecutor {
                        String execute(ToolExecutionRequest request, Object memoryId);
                    }
                    """,
            // what runs a @Tool method in LangChain4j; the hook leaves calls through it to the method's own guard
            "dev/langchain4j/service/tool/DefaultToolExecutor.java", """
                    package dev.langchain4j.service.tool;

                    import dev.langchain4j.agent.tool.ToolExecutionRequest;

                    public class DefaultToolExecutor implements ToolExecutor {
                        @Override
                        public String execute(ToolExecutionRequest request, Object memoryId) {
                            throw new UnsupportedOperationException("a stub");
                        }
                    }
                    """,
            // the list of tools an AI service sends the model, which the agent filters
            "dev/langchain4j/service/tool/ToolServiceContext.java", """
                    package dev.langchain4j.service.tool;

                    import dev.langchain4j.agent.tool.ToolSpecification;

                    import java.util.List;

                    public class ToolServiceContext {
                        public List<ToolSpecification> toolSpecifications() {
                            return List.of();
                        }
                    }
                    """,
            "dev/langchain4j/service/tool/ToolService.java", """
                    package dev.langchain4j.service.tool;

                    import dev.langchain4j.agent.tool.ToolExecutionRequest;

                    import java.util.List;
                    import java.util.Map;

                    public class ToolService {
                        // the calls of one reply handed to threads, each task a lambda holding the executors by name
                        private void executeConcurrently(List<ToolExecutionRequest> requests,
                                                         Map<String, ToolExecutor> executors, Object invocationContext) {
                            requests.forEach(r -> executors.get(r.name()).execute(r, invocationContext));
                        }

                        public static Object %s(ToolExecutionRequest request, ToolExecutor executor,
                                                Object invocationContext, Object argumentsErrorHandler,
                                                Object executionErrorHandler) {
                            return executor.execute(request, null);
                        }
                    }
                    """);

    private StubLangChain4j() {
    }

    /**
     * Builds {@code langchain4j-core-<version>.jar} and {@code langchain4j-<version>.jar} in {@code dir}, the tool
     * service's call method named {@code callMethod}; returns both jars.
     */
    static List<Path> build(Path dir, String version, String callMethod) throws IOException {
        Path sources = dir.resolve("stub-src");
        Path classes = Files.createDirectories(dir.resolve("stub-classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> source : CORE.entrySet()) {
            files.add(write(sources.resolve(source.getKey()), source.getValue()));
        }
        for (Map.Entry<String, String> source : MAIN.entrySet()) {
            files.add(write(sources.resolve(source.getKey()), source.getValue().formatted(callMethod)));
        }
        compile(files, classes);
        return List.of(
                jar(dir.resolve("langchain4j-core-" + version + ".jar"), classes, "dev/langchain4j/agent/",
                        "langchain4j-core", version),
                jar(dir.resolve("langchain4j-" + version + ".jar"), classes, "dev/langchain4j/service/",
                        "langchain4j", version));
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static void compile(List<Path> files, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler (the tests run on a JRE?)").isNotNull();
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-d", out.toString(),
                // never this JVM's class path: it has the real LangChain4j
                "-classpath", out.toString()));
        files.forEach(f -> args.add(f.toString()));
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).as("javac of the stub LangChain4j").isZero();
    }

    /** The classes under {@code packagePrefix}, with the directory entries and pom.properties a Maven jar has. */
    private static Path jar(Path jar, Path classes, String packagePrefix, String artifactId, String version)
            throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        TreeSet<String> entries = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(classes)) {
            walk.filter(Files::isRegularFile).map(p -> classes.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.startsWith(packagePrefix)).forEach(entries::add);
        }
        String pomProperties = "META-INF/maven/dev.langchain4j/" + artifactId + "/pom.properties";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            TreeSet<String> directories = new TreeSet<>();
            for (String entry : entries) {
                addParents(entry, directories);
            }
            addParents(pomProperties, directories);
            for (String directory : directories) {
                out.putNextEntry(new JarEntry(directory));
                out.closeEntry();
            }
            for (String entry : entries) {
                put(out, entry, Files.readAllBytes(classes.resolve(entry)));
            }
            put(out, pomProperties, ("artifactId=" + artifactId + "\ngroupId=dev.langchain4j\nversion=" + version + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static void addParents(String entry, TreeSet<String> directories) {
        for (int slash = entry.indexOf('/'); slash >= 0; slash = entry.indexOf('/', slash + 1)) {
            directories.add(entry.substring(0, slash + 1));
        }
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }
}
