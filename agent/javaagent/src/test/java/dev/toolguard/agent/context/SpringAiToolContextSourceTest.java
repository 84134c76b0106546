package dev.toolguard.agent.context;

import dev.toolguard.agent.config.ConfigProblem;
import dev.toolguard.agent.config.ContextSourceSpec;
import dev.toolguard.instrumentation.ToolMethod;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.model.ToolContext;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The spring-ai-tool-context source against the real Spring AI {@code ToolContext}. */
class SpringAiToolContextSourceTest {

    private static final ToolMethod TOOL = new ToolMethod("issue_refund", "com.acme.SupportTools", "issueRefund",
            "com.acme.SupportTools#issueRefund(String,double,ToolContext)", List.of("customerId", "amount"), "spring-ai");

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final ContextSourceRegistry registry = ContextSourceRegistry.standard(Map.of()).register(new SpringAiToolContextSource.Factory());

    private ContextAssembler assembler(Map<String, String> mapping) {
        ContextAssembler a = registry.assemble(
                List.of(new ContextSourceSpec("spring-ai-tool-context", mapping, "toolguard.yaml:4:5")), problems);
        assertThat(problems).isEmpty();
        return a;
    }

    /** A {@code @Tool} method's raw arguments: the tool context is one of them. */
    private static CallSite toolCallWith(ToolContext toolContext) {
        return new CallSite(TOOL, new Object(), new Object[]{"c-1", 50.0, toolContext});
    }

    @Test
    void everyEntryIsWrittenAtItsKeyReadAsADottedPath() {
        ToolContext toolContext = new ToolContext(Map.of("tenant", "acme", "session.id", "s-1",
                "user", Map.of("email", "alice@acme.example")));

        assertThat(assembler(Map.of()).assemble(toolCallWith(toolContext))).isEqualTo(Map.of(
                "tenant", "acme", "session", Map.of("id", "s-1"), "user", Map.of("email", "alice@acme.example")));
    }

    @Test
    void aMappingWritesOnlyTheKeysItNames() {
        ToolContext toolContext = new ToolContext(Map.of("tenantId", "acme", "sessionId", "s-1", "locale", "de"));

        assertThat(assembler(Map.of("tenant", "tenantId", "session.id", "sessionId", "user.id", "userId"))
                .assemble(toolCallWith(toolContext)))
                .isEqualTo(Map.of("tenant", "acme", "session", Map.of("id", "s-1")));
    }

    @Test
    void anEmptyScopeListIsAValueNotAnAbsence() {
        ToolContext toolContext = new ToolContext(Map.of("agent.scopes", List.of(), "user.roles", List.of()));

        assertThat(assembler(Map.of()).assemble(toolCallWith(toolContext)))
                .isEqualTo(Map.of("agent", Map.of("scopes", List.of()), "user", Map.of("roles", List.of())));
    }

    @Test
    void scopesHoldingAnObjectThatCannotBeConvertedMakeTheContextUnreadableNotAbsent() {
        ToolContext toolContext = new ToolContext(Map.of("agent.scopes", List.of("crm.*", new Object())));

        ContextAssembler.Assembled ctx = assembler(Map.of()).read(toolCallWith(toolContext));

        assertThat(ctx.problem()).startsWith("context agent.scopes at /1 cannot be read: ");
        assertThat(ctx.values()).doesNotContainKey("agent");
    }

    @Test
    void theConversationHistorySpringAiAddsIsNotContext() {
        Map<String, Object> entries = new HashMap<>();
        entries.put("tenant", "acme");
        entries.put("TOOL_CALL_HISTORY", List.of("user: refund 150", "assistant: calling issue_refund"));

        assertThat(assembler(Map.of()).assemble(toolCallWith(new ToolContext(entries)))).isEqualTo(Map.of("tenant", "acme"));
    }

    @Test
    void valuesAreConvertedByTheOneConverterOfArguments() {
        Map<String, Object> entries = new HashMap<>();
        entries.put("tier", 3);
        entries.put("limit", new BigDecimal("2000.50"));
        entries.put("vip", true);
        entries.put("day", Thread.State.NEW);
        entries.put("user.roles", List.of("support_l1", "auditor"));
        entries.put("since", Instant.EPOCH);
        entries.put("", "no path");
        entries.put("a..b", "no path");

        ContextAssembler.Assembled ctx = assembler(Map.of()).read(toolCallWith(new ToolContext(entries)));

        assertThat(ctx.problem()).isNull();
        assertThat(ctx.values()).isEqualTo(Map.of(
                "tier", 3L, "limit", 2000.5, "vip", true, "day", "NEW", "since", "1970-01-01T00:00:00Z",
                "user", Map.of("roles", List.of("support_l1", "auditor"))));
    }

    @Test
    void aValueThatCannotBeConvertedIsAProblemNotSilentlyAbsent() {
        Map<String, Object> entries = new HashMap<>();
        entries.put("tenant", "acme");
        entries.put("mixed", List.of("a", new Object()));

        ContextAssembler.Assembled ctx = assembler(Map.of()).read(toolCallWith(new ToolContext(entries)));

        assertThat(ctx.problem()).isEqualTo("context mixed at /1 cannot be read: "
                + "a java.lang.Object is neither a plain value nor a bean with properties");
        assertThat(ctx.values()).isEqualTo(Map.of("tenant", "acme"));
    }

    @Test
    void aContextValueNestedPastTheBoundsIsAProblem() {
        Object deep = "bottom";
        for (int i = 0; i < 70; i++) {
            deep = List.of(deep);
        }
        ContextAssembler.Assembled ctx = assembler(Map.of())
                .read(toolCallWith(new ToolContext(Map.of("deep", deep))));

        assertThat(ctx.problem()).startsWith("context deep at /0/0/").endsWith(
                "cannot be read: nested more than 64 levels deep (arguments.max_depth)");
    }

    @Test
    void rolesGivenAsTextBecomeAList() {
        ToolContext toolContext = new ToolContext(Map.of("roles", "support_l1, auditor"));

        assertThat(assembler(Map.of("user.roles", "roles")).assemble(toolCallWith(toolContext)))
                .isEqualTo(Map.of("user", Map.of("roles", List.of("support_l1", "auditor"))));
    }

    @Test
    void aFunctionToolsContextArrivesAsAnExtra() {
        // a function tool's call is decided with its tool context as the only raw argument
        CallSite call = new CallSite(TOOL, null, new Object[]{new ToolContext(Map.of("tenant", "acme"))});

        assertThat(assembler(Map.of()).assemble(call)).isEqualTo(Map.of("tenant", "acme"));
    }

    @Test
    void noToolContextOrANullOneContributesNothing() {
        ContextAssembler a = assembler(Map.of());

        assertThat(a.assemble(new CallSite(TOOL, null, new Object[]{"c-1", 50.0}))).isEmpty();
        assertThat(a.assemble(new CallSite(TOOL, null, new Object[]{null}))).isEmpty();
        assertThat(a.assemble(toolCallWith(new ToolContext(Map.of())))).isEmpty();
    }

    @Test
    void aMapThatIsNotAToolContextIsNotReadAsOne() {
        CallSite call = new CallSite(TOOL, null, new Object[]{Map.of("tenant", "evil")});

        assertThat(assembler(Map.of()).assemble(call)).isEmpty();
    }

    @Test
    void laterSourcesOverrideTheToolContext() {
        System.setProperty("test.tenant", "from-property");
        try {
            ContextAssembler a = registry.assemble(List.of(
                    new ContextSourceSpec("spring-ai-tool-context", Map.of(), "toolguard.yaml:4:5"),
                    new ContextSourceSpec("system-property", Map.of("tenant", "test.tenant"), "toolguard.yaml:5:5")), problems);

            assertThat(a.assemble(toolCallWith(new ToolContext(Map.of("tenant", "acme", "session.id", "s-1")))))
                    .isEqualTo(Map.of("tenant", "from-property", "session", Map.of("id", "s-1")));
        } finally {
            System.clearProperty("test.tenant");
        }
    }

    @Test
    void aMappingToSomethingThatIsNotAPathIsAProblem() {
        registry.assemble(List.of(new ContextSourceSpec("spring-ai-tool-context", Map.of("session..id", "sessionId"),
                "toolguard.yaml:6:5")), problems);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("toolguard.yaml:6:5");
            assertThat(p.message()).isEqualTo("spring-ai-tool-context: 'session..id' is not a context path");
        });
    }
}
