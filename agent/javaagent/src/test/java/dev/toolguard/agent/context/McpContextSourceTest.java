package dev.toolguard.agent.context;

import dev.toolguard.agent.config.ConfigProblem;
import dev.toolguard.agent.config.ContextSourceSpec;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code mcp} source reads the SDK's own exchange and transport context, as the {@code mcp} hook passes them. */
class McpContextSourceTest {

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final ContextSourceRegistry registry = ContextSourceRegistry.standard(Map.of()).register(new McpContextSource.Factory());

    private static final McpAsyncServerExchange EXCHANGE = new McpAsyncServerExchange("session-7", null, null,
            new McpSchema.Implementation("claude-desktop", "1.4.2"),
            McpTransportContext.create(Map.of("user_id", "u-http", "roles", List.of("support_l1"))));

    private Map<String, Object> ctx(Map<String, String> mapping, Object... extras) {
        ContextAssembler a = registry.assemble(List.of(new ContextSourceSpec("mcp", mapping, "toolguard.yaml:3:5")), problems);
        assertThat(problems).isEmpty();
        return a.assemble(new CallSite(null, null, extras));
    }

    @Test
    void itIsFoundByTheServiceLoader() {
        assertThat(registry.names()).contains("mcp");
    }

    @Test
    void byDefaultTheClientsClaimsStayUnderMcpClientAndTheMcpSessionIsTheSession() {
        assertThat(ctx(Map.of(), EXCHANGE)).isEqualTo(Map.of(
                "mcp", Map.of("client", Map.of("name", "claude-desktop", "version", "1.4.2")),
                "session", Map.of("id", "session-7")));
    }

    @Test
    void theClientsClaimsCannotBeMappedToTheAgentOrTheUser() {
        registry.assemble(List.of(new ContextSourceSpec("mcp", Map.of("agent.id", "client.name"), "toolguard.yaml:3:5"),
                new ContextSourceSpec("mcp", Map.of("user.id", "client.version"), "toolguard.yaml:4:5")), problems);

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0).toString()).contains("client.name is what the MCP client says of itself, unverified")
                .contains("mcp.client.name: client.name");
        assertThat(problems.get(1).toString()).contains("not to user.id");
    }

    @Test
    void transportContextEntriesAreMappedToContextPaths() {
        assertThat(ctx(Map.of("user.id", "transport.user_id", "user.roles", "transport.roles", "mcp.client.v",
                "client.version"), EXCHANGE)).isEqualTo(Map.of(
                "user", Map.of("id", "u-http", "roles", List.of("support_l1")),
                "mcp", Map.of("client", Map.of("v", "1.4.2"))));
    }

    @Test
    void aStatelessServersTransportContextIsReadToo() {
        Map<String, Object> ctx = ctx(Map.of("user.id", "transport.user_id", "session.id", "session.id"),
                McpTransportContext.create(Map.of("user_id", "u-stateless")));
        assertThat(ctx).isEqualTo(Map.of("user", Map.of("id", "u-stateless")));
    }

    @Test
    void onlyPlainTransportValuesAreTakenAndAnApplicationObjectIsAbsent() {
        Object principal = new Object() {
            @Override
            public String toString() {
                return "admin";
            }
        };
        Map<String, Object> ctx = ctx(Map.of("user.id", "transport.principal", "tenant", "transport.tenant",
                        "user.roles", "transport.roles"),
                McpTransportContext.create(Map.of("principal", principal, "tenant", Map.of("id", "acme", "tier", 2),
                        "roles", new String[] {"support_l1", "manager"})));
        assertThat(ctx).isEqualTo(Map.of("tenant", Map.of("id", "acme", "tier", 2L),
                "user", Map.of("roles", List.of("support_l1", "manager"))));
    }

    @Test
    void aCallOfAnotherFrameworkContributesNothing() {
        assertThat(ctx(Map.of(), "c1", 50.0)).isEmpty();
        assertThat(ctx(Map.of("user.id", "transport.missing"), EXCHANGE)).isEmpty();
    }

    @Test
    void anUnknownValueIsAConfigProblemNamingWhatCanBeRead() {
        registry.assemble(List.of(new ContextSourceSpec("mcp", Map.of("user.id", "client.email"), "toolguard.yaml:3:5")),
                problems);
        assertThat(problems).singleElement().asString().contains("toolguard.yaml:3:5", "mcp: unknown value 'client.email'",
                "transport.<key>");
    }
}
