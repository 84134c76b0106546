package dev.toolguard.it.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The sample's support-desk MCP server in a JVM of its own with {@code -javaagent:} on the real agent jar,
 * launched and spoken to over stdio by a real MCP client of the SDK ({@code StdioClientTransport}), as an MCP
 * host launches the servers it is configured with. The server's standard error is kept line by line.
 */
final class SupportDeskServer implements AutoCloseable {

    /** A build of the sample: the newest SDK, or the same sources on the oldest SDK line we support. */
    enum Build {
        SDK_2("toolguard.it.mcp.sample.dir", "sample-mcp-server.jar"),
        SDK_1("toolguard.it.mcp.sdk1.dir", "sample-mcp-server-sdk1.jar");

        final Path dir;
        final String jar;

        Build(String property, String jar) {
            this.dir = Path.of(required(property));
            this.jar = jar;
        }

        String classpath() throws IOException {
            return Files.readString(dir.resolve("target/classpath.txt")).trim() + File.pathSeparator
                    + dir.resolve("target").resolve(jar);
        }
    }

    static final Path AGENT_JAR = Path.of(required("toolguard.it.agent.jar"));
    /** The JVMs of these tests live for seconds: compiling with C1 only halves the CPU they take to start. */
    static final String QUICK_START = "-XX:TieredStopAtLevel=1";
    static final Path SAMPLE = Path.of(required("toolguard.it.mcp.sample.dir"));

    final McpSyncClient client;
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    private SupportDeskServer(Build build, String mode, String agentOptions, String user, String roles)
            throws IOException {
        ServerParameters server = ServerParameters.builder(java().toString())
                .args("-javaagent:" + AGENT_JAR + "=" + agentOptions, "-Xshare:auto", QUICK_START,
                        "-cp", build.classpath(), "dev.toolguard.sample.mcp.SupportDeskServer", mode)
                // who the server acts for, as an MCP host configuration passes it
                .addEnvVar("SUPPORT_DESK_USER", user)
                .addEnvVar("SUPPORT_DESK_ROLES", roles)
                .build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        transport.setStdErrorHandler(stderr::add);
        // a JVM starting with the agent can take half a minute on a busy machine: more than the SDK allows by default
        client = McpClient.sync(transport).initializationTimeout(Duration.ofSeconds(120))
                .requestTimeout(Duration.ofSeconds(120))
                .clientInfo(new Implementation("toolguard-it", "1.0")).build();
        client.initialize();
    }

    /** Launches the server ({@code sync} or {@code async}) for alice of support_l1 and completes the MCP handshake. */
    static SupportDeskServer start(Build build, String mode, Path config) throws IOException {
        return new SupportDeskServer(build, mode, "config=" + config, "alice", "support_l1");
    }

    /** The server's standard error so far: the agent's start line and the support desk's log of what it did. */
    List<String> stderr() {
        return List.copyOf(stderr);
    }

    @Override
    public void close() {
        client.closeGracefully();
    }

    /** The JVM the servers run on: {@code toolguard.it.java}, else this one. Skips when it is not installed. */
    static Path java() {
        String configured = System.getProperty("toolguard.it.java");
        Path java = configured == null || configured.isBlank()
                ? Path.of(System.getProperty("java.home"), "bin", "java") : Path.of(configured);
        Assumptions.assumeTrue(Files.isExecutable(java), "no JVM at " + java);
        return java;
    }

    /**
     * A toolguard.yaml in {@code dir}: the sample's policies, the user from the environment, the MCP client and
     * session from the SDK's exchange, the audit log in {@code dir}.
     */
    static Path config(Path dir, boolean filterDiscovery) throws IOException {
        return Files.writeString(dir.resolve("toolguard.yaml"), """
                policy:
                  sources: [%s]
                  reload: 0
                instrumentation:
                  builtin: [mcp]
                  filter_discovery: %s
                context:
                  - env: {user.id: SUPPORT_DESK_USER, user.roles: SUPPORT_DESK_ROLES}
                  - mcp: {}
                audit:
                  file: %s
                """.formatted(SAMPLE.resolve("policies"), filterDiscovery, dir.resolve("audit.jsonl")));
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property " + property + " is not set (run through Maven)");
        }
        return v;
    }
}
