package dev.toolguard.agent.context;

import dev.toolguard.agent.config.ConfigProblem;
import dev.toolguard.agent.config.ContextSourceSpec;
import dev.toolguard.instrumentation.ToolMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The spring-security source against the real Spring Security, as a tool's application would use it. */
class SpringSecurityContextSourceTest {

    private static final ToolMethod TOOL = new ToolMethod("issue_refund", "com.acme.SupportTools", "issueRefund",
            "com.acme.SupportTools#issueRefund(String,double)", List.of("customerId", "amount"), "spring-ai");

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final ContextSourceRegistry registry = ContextSourceRegistry.standard(Map.of());

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    private ContextAssembler assembler(Map<String, String> mapping) {
        ContextAssembler a = registry.assemble(List.of(new ContextSourceSpec("spring-security", mapping, "toolguard.yaml:3:5")), problems);
        assertThat(problems).isEmpty();
        return a;
    }

    private Map<String, Object> ctxFor(ContextAssembler a) {
        return a.assemble(new CallSite(TOOL, this, new Object[]{"c-1", 50.0}));
    }

    private static void signIn(Authentication authentication) {
        SecurityContextHolder.getContext().setAuthentication(authentication);
    }

    private static Authentication user(String name, String... authorities) {
        return UsernamePasswordAuthenticationToken.authenticated(name, "n/a", AuthorityUtils.createAuthorityList(authorities));
    }

    @Test
    void theSignedInUsersNameIsTheUserIdAndTheirRolesLoseThePrefix() {
        signIn(user("alice", "ROLE_support_l1", "ROLE_auditor"));

        assertThat(ctxFor(assembler(Map.of())))
                .isEqualTo(Map.of("user", Map.of("id", "alice", "roles", List.of("support_l1", "auditor"))));
    }

    @Test
    void authoritiesThatAreNotRolesAreNotRoles() {
        signIn(user("bob", "crm_admin", "ROLE_manager", "SCOPE_crm.read", "FACTOR_PASSWORD"));

        assertThat(ctxFor(assembler(Map.of())))
                .isEqualTo(Map.of("user", Map.of("id", "bob", "roles", List.of("manager"))));
    }

    @Test
    void aUserWithNoAuthoritiesHasAnIdAndAnEmptyRoleList() {
        signIn(user("carol"));

        // an empty list is a value: no role grants anything, and as scopes it would grant nothing
        assertThat(ctxFor(assembler(Map.of()))).isEqualTo(Map.of("user", Map.of("id", "carol", "roles", List.of())));
    }

    @Test
    void authoritiesThatCannotBeReadMakeTheContextUnreadableNotAbsent() {
        signIn(new UsernamePasswordAuthenticationToken("dave", "n/a", AuthorityUtils.createAuthorityList("ROLE_x")) {
            @Override
            public java.util.Collection<org.springframework.security.core.GrantedAuthority> getAuthorities() {
                throw new IllegalStateException("the directory is down");
            }
        });

        ContextAssembler.Assembled ctx = assembler(Map.of("user.id", "name", "agent.scopes", "authorities"))
                .read(new CallSite(TOOL, this, new Object[]{"c-1", 50.0}));

        assertThat(ctx.problem()).isEqualTo("context agent.scopes cannot be read: the signed-in user's authorities could"
                + " not be read");
        assertThat(ctx.values()).isEqualTo(Map.of("user", Map.of("id", "dave")));
    }

    @Test
    void nobodySignedInContributesNothing() {
        assertThat(ctxFor(assembler(Map.of()))).isEmpty();
    }

    @Test
    void anAnonymousUserIsNobody() {
        signIn(new AnonymousAuthenticationToken("key", "anonymousUser", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));

        assertThat(ctxFor(assembler(Map.of()))).isEmpty();
    }

    @Test
    void aTokenThatWasNotAuthenticatedIsNobody() {
        signIn(UsernamePasswordAuthenticationToken.unauthenticated("mallory", "guessed"));

        assertThat(ctxFor(assembler(Map.of()))).isEmpty();
    }

    @Test
    void aMappingPicksTheAttributesAndTheirPaths() {
        signIn(user("alice", "ROLE_support_l1", "SCOPE_mail"));

        Map<String, Object> ctx = ctxFor(assembler(Map.of("user.name", "name", "user.authorities", "authorities")));

        assertThat(ctx).isEqualTo(Map.of("user", Map.of("name", "alice", "authorities", List.of("ROLE_support_l1", "SCOPE_mail"))));
    }

    @Test
    void theUserIsTheOneOfTheCallingThread() throws Exception {
        signIn(user("alice", "ROLE_support_l1"));
        ContextAssembler a = assembler(Map.of());

        Map<String, Object> onAnotherThread = CompletableFuture.supplyAsync(() -> ctxFor(a)).get();

        assertThat(onAnotherThread).isEmpty();
        assertThat(ctxFor(a)).containsKey("user");
    }

    @Test
    void withoutAToolObjectSpringSecurityIsFoundThroughTheArguments() throws Exception {
        // a function tool has no object of its own; its framework arguments come from the application's loader
        signIn(user("alice", "ROLE_support_l1"));
        ContextAssembler a = assembler(Map.of());
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader noSpring = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(noSpring);

            Map<String, Object> ctx = a.assemble(new CallSite(TOOL, null, new Object[]{"{}", new ApplicationObject()}));

            assertThat(ctx).isEqualTo(Map.of("user", Map.of("id", "alice", "roles", List.of("support_l1"))));
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void anApplicationWithoutSpringSecurityContributesNothing() throws Exception {
        signIn(user("alice", "ROLE_support_l1"));
        ContextAssembler a = assembler(Map.of());
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader noSpring = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(noSpring);

            assertThat(a.assemble(new CallSite(TOOL, null, new Object[]{"c-1", 50.0}))).isEmpty();
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void anUnknownAttributeIsAProblemAtItsPlace() {
        registry.assemble(List.of(new ContextSourceSpec("spring-security", Map.of("user.id", "username"), "toolguard.yaml:9:5")), problems);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.where()).isEqualTo("toolguard.yaml:9:5");
            assertThat(p.message()).isEqualTo("spring-security: unknown attribute 'username' for user.id"
                    + " (available: name, roles, authorities)");
        });
    }

    @Test
    void springSecurityIsAStandardSourceAndTheToolContextOneComesWithTheSpringAiModule() {
        assertThat(registry.names()).contains("spring-security");
        assertThat(new dev.toolguard.agent.instrument.springai.SpringAiModule().contextSources())
                .extracting(ContextSourceFactory::name).containsExactly("spring-ai-tool-context");
    }

    /** Any object of the application, as a call's framework argument would be. */
    static final class ApplicationObject {
    }
}
