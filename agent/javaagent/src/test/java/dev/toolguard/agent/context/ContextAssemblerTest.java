package dev.toolguard.agent.context;

import dev.toolguard.agent.config.ConfigProblem;
import dev.toolguard.agent.config.ContextSourceSpec;
import dev.toolguard.api.ToolGuard;
import dev.toolguard.instrumentation.ToolMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ContextAssemblerTest {

    private static final ToolMethod TOOL = new ToolMethod("issue_refund", "com.acme.RefundTools", "issueRefund",
            "com.acme.RefundTools#issueRefund(String,double)", List.of("customer_id", "amount"), "guarded-tool");

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final ContextSourceRegistry registry = ContextSourceRegistry.standard(Map.of("TENANT_ID", "acme-env"));

    @AfterEach
    void clean() {
        ToolGuard.clear();
        MDC.clear();
        System.clearProperty("test.agent.id");
    }

    private ContextAssembler assembler(ContextSourceSpec... specs) {
        ContextAssembler a = registry.assemble(List.of(specs), problems);
        assertThat(problems).isEmpty();
        return a;
    }

    private static ContextSourceSpec spec(String name, Map<String, String> mapping) {
        return new ContextSourceSpec(name, mapping, "toolguard.yaml:1:1");
    }

    private Map<String, Object> ctxFor(ContextAssembler a) {
        return a.assemble(new CallSite(TOOL, this, new Object[]{"c1", 50.0}));
    }

    @Test
    void theApiSourceIsAlwaysOn() {
        ToolGuard.context().put("user.id", "u1").put("user.roles", List.of("support_l1"));

        assertThat(ctxFor(assembler())).isEqualTo(Map.of("user", Map.of("id", "u1", "roles", List.of("support_l1"))));
    }

    @Test
    void mdcKeysOfTheCallingThreadAreMappedToContextPaths() {
        MDC.put("userId", "u-mdc");
        MDC.put("sessionId", "s-9");

        Map<String, Object> ctx = ctxFor(assembler(spec("mdc", Map.of("user.id", "userId", "session.id", "sessionId"))));

        assertThat(ctx).isEqualTo(Map.of("user", Map.of("id", "u-mdc"), "session", Map.of("id", "s-9")));
    }

    @Test
    void laterSourcesOverrideEarlierOnesPathByPath() {
        ToolGuard.context().put("user.id", "u-api").put("tenant", "acme");
        MDC.put("userId", "u-mdc");

        Map<String, Object> ctx = ctxFor(assembler(spec("mdc", Map.of("user.id", "userId"))));

        assertThat(ctx).isEqualTo(Map.of("user", Map.of("id", "u-mdc"), "tenant", "acme"));
    }

    @Test
    void namingTheApiSourceLastLetsItOverrideTheOthers() {
        ToolGuard.context().put("user.id", "u-api");
        MDC.put("userId", "u-mdc");

        Map<String, Object> ctx = ctxFor(assembler(spec("mdc", Map.of("user.id", "userId")), spec("api", Map.of())));

        assertThat(ctx).isEqualTo(Map.of("user", Map.of("id", "u-api")));
    }

    @Test
    void anMdcKeyThatIsNotSetIsAbsentNotEmpty() {
        MDC.put("userId", "");

        Map<String, Object> ctx = ctxFor(assembler(spec("mdc", Map.of("user.id", "userId", "tenant", "tenantId"))));

        assertThat(ctx).isEmpty();
    }

    @Test
    void anApplicationWithoutSlf4jContributesNothingFromMdc() throws Exception {
        MDC.put("userId", "u-mdc");
        ContextAssembler a = assembler(spec("mdc", Map.of("user.id", "userId")));
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader noSlf4j = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(noSlf4j);

            Map<String, Object> ctx = a.assemble(new CallSite(TOOL, null, new Object[0]));

            assertThat(ctx).isEmpty();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void aClassLoaderSlowToAnswerForOneCallHoldsUpNoCallFromAnotherLoader() throws Exception {
        MDC.put("userId", "u-mdc");
        ContextAssembler a = assembler(spec("mdc", Map.of("user.id", "userId")));
        assertThat(a.assemble(new CallSite(TOOL, null, new Object[0]))).isEqualTo(Map.of("user", Map.of("id", "u-mdc")));
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        ClassLoader slow = new ClassLoader(ClassLoader.getPlatformClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.endsWith(".MDC")) {
                    asked.countDown();
                    try {
                        answer.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new ClassNotFoundException(name);
                }
                return super.loadClass(name, resolve);
            }
        };
        Thread stuck = new Thread(() -> {
            Thread.currentThread().setContextClassLoader(slow);
            a.assemble(new CallSite(TOOL, null, new Object[0]));
        });
        stuck.setDaemon(true);
        stuck.start();
        try {
            assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Map<String, Object>> other = CompletableFuture.supplyAsync(() -> {
                Thread.currentThread().setContextClassLoader(ContextAssemblerTest.class.getClassLoader());
                MDC.put("userId", "u-other");
                try {
                    return a.assemble(new CallSite(TOOL, null, new Object[0]));
                } finally {
                    MDC.remove("userId");
                }
            });

            assertThat(other.get(5, TimeUnit.SECONDS)).isEqualTo(Map.of("user", Map.of("id", "u-other")));
        } finally {
            answer.countDown();
        }
    }

    @Test
    void systemPropertiesAreReadAtEachCall() {
        ContextAssembler a = assembler(spec("system-property", Map.of("agent.id", "test.agent.id")));
        System.setProperty("test.agent.id", "agent-1");
        assertThat(ctxFor(a)).isEqualTo(Map.of("agent", Map.of("id", "agent-1")));

        System.setProperty("test.agent.id", "agent-2");
        assertThat(ctxFor(a)).isEqualTo(Map.of("agent", Map.of("id", "agent-2")));
    }

    @Test
    void environmentVariablesAreMappedAndMissingOnesAreAbsent() {
        Map<String, Object> ctx = ctxFor(assembler(spec("env", Map.of("tenant", "TENANT_ID", "user.id", "NOT_SET"))));

        assertThat(ctx).isEqualTo(Map.of("tenant", "acme-env"));
    }

    @Test
    void rolesGivenAsTextBecomeAListOfNames() {
        MDC.put("roles", "support_l1, manager,");

        Map<String, Object> ctx = ctxFor(assembler(spec("mdc", Map.of("user.roles", "roles"))));

        assertThat(ctx).isEqualTo(Map.of("user", Map.of("roles", List.of("support_l1", "manager"))));
    }

    @Test
    void anUnknownSourceIsAProblemAtItsPlace() {
        registry.assemble(List.of(new ContextSourceSpec("ldap", Map.of(), "toolguard.yaml:7:5")), problems);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("toolguard.yaml:7:5");
            assertThat(p.message()).contains("unknown context source 'ldap'");
        });
    }

    @Test
    void aSourceThatFailsLeavesTheOthersStanding() {
        ToolGuard.context().put("tenant", "acme");
        ContextAssembler a = new ContextAssembler(List.of(new ApiContextSource(), (call, ctx) -> {
            throw new IllegalStateException("broken source");
        }));

        assertThat(ctxFor(a)).isEqualTo(Map.of("tenant", "acme"));
    }

    @Test
    void pluggedSourcesSeeTheCallsArguments() {
        registry.register(new ContextSourceFactory() {
            @Override
            public String name() {
                return "first-argument";
            }

            @Override
            public ContextSource create(Map<String, String> mapping, java.util.function.Consumer<String> problem) {
                return (call, ctx) -> ctx.put(mapping.get("path"), String.valueOf(call.args()[0]));
            }
        });

        Map<String, Object> ctx = ctxFor(assembler(spec("first-argument", Map.of("path", "session.id"))));

        assertThat(ctx).isEqualTo(Map.of("session", Map.of("id", "c1")));
    }
}
