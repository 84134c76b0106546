package dev.toolguard.agent.config;

import dev.toolguard.agent.admin.AdminLimits;
import dev.toolguard.agent.admin.AdminRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code admin.users} (SPEC §16) and the admin server's limits (SPEC §13.12) in {@code toolguard.yaml}. */
class AdminConfigTest {

    @TempDir
    Path dir;

    private static final Map<String, String> TOKENS = Map.of("TG_ALICE", "alice-token-0123456789", "TG_VERA", "vera-token-0123456789");

    private ConfigResolver.Result resolve(String yaml, Map<String, String> env) throws IOException {
        Path file = dir.resolve("toolguard.yaml");
        Files.writeString(file, yaml);
        return ConfigResolver.resolve("config=" + file, new Properties(), env, dir);
    }

    @Test
    void namedUsersAreReadWithTheirRoles() throws IOException {
        ConfigResolver.Result r = resolve("""
                admin:
                  listen: 127.0.0.1:0
                  users:
                    - {name: alice, token_env: TG_ALICE, role: approver}
                    - name: vera
                      token_env: TG_VERA
                      role: viewer
                """, TOKENS);

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().adminUsers()).extracting(AdminUserSpec::name, AdminUserSpec::tokenEnv, AdminUserSpec::role)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", "TG_ALICE", AdminRole.APPROVER),
                        org.assertj.core.groups.Tuple.tuple("vera", "TG_VERA", AdminRole.VIEWER));
        assertThat(r.config().adminTokenEnv()).isEqualTo("TOOLGUARD_ADMIN_TOKEN");
    }

    @Test
    void anUnknownKeyInAUserIsAProblemAtItsLine() throws IOException {
        ConfigResolver.Result r = resolve("""
                admin:
                  users:
                    - {name: alice, token_env: TG_ALICE, role: approver, token: a-token}
                """, TOKENS);

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).endsWith("toolguard.yaml:3:58");
            assertThat(p.message()).contains("unknown key 'admin.users[].token'");
        });
    }

    @Test
    void anUnknownRoleIsAProblemAtItsLine() throws IOException {
        ConfigResolver.Result r = resolve("""
                admin:
                  users:
                    - name: alice
                      token_env: TG_ALICE
                      role: superuser
                """, TOKENS);

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).endsWith("toolguard.yaml:5:13");
            assertThat(p.message()).contains("viewer, approver or admin").contains("superuser");
        });
        assertThat(r.config().adminUsers()).isEmpty();
    }

    @Test
    void aTokenVariableThatIsNotSetIsAProblemAtTheUsersLineAndShowsNoToken() throws IOException {
        ConfigResolver.Result r = resolve("""
                admin:
                  users:
                    - {name: alice, token_env: TG_ALICE, role: approver}
                    - {name: bob, token_env: TG_BOB, role: approver}
                """, TOKENS);

        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.where()).endsWith("toolguard.yaml:4:7");
            assertThat(p.message()).contains("TG_BOB").contains("bob").contains("not set").doesNotContain("a-token");
        });
    }

    @Test
    void aUserWithoutARoleOrTwoUsersOfOneNameAreProblems() throws IOException {
        ConfigResolver.Result r = resolve("""
                admin:
                  users:
                    - {name: alice, token_env: TG_ALICE}
                    - {name: vera, token_env: TG_VERA, role: viewer}
                    - {name: vera, token_env: TG_VERA, role: admin}
                """, TOKENS);

        assertThat(r.problems()).extracting(ConfigProblem::toString).satisfiesExactly(
                p -> assertThat(p).contains("toolguard.yaml:3:7").contains("lacks role"),
                p -> assertThat(p).contains("toolguard.yaml:5:14").contains("duplicate admin user 'vera'"));
    }

    @Test
    void aUserNamedAdminBesideASetAdminTokenEnvIsAProblem() throws IOException {
        ConfigResolver.Result r = resolve("""
                admin:
                  token_env: TG_ROOT
                  users:
                    - {name: admin, token_env: TG_ALICE, role: admin}
                """, Map.of("TG_ROOT", "r-token", "TG_ALICE", "a-token"));

        assertThat(r.problems()).singleElement().asString().contains("toolguard.yaml:4:7").contains("TG_ROOT");
    }

    @Test
    void withTheAdminApiOnATokenShorterThan16CharactersIsAProblemThatShowsNoToken() throws IOException {
        ConfigResolver.Result r = resolve("""
                admin:
                  listen: 127.0.0.1:0
                  users:
                    - {name: alice, token_env: TG_ALICE, role: approver}
                """, Map.of("TOOLGUARD_ADMIN_TOKEN", "abc", "TG_ALICE", "fifteen-chars!!"));

        assertThat(r.problems()).extracting(ConfigProblem::toString).satisfiesExactly(
                p -> assertThat(p).startsWith("environment TOOLGUARD_ADMIN_TOKEN: ")
                        .contains("shorter than 16 characters").doesNotContain("abc"),
                p -> assertThat(p).contains("toolguard.yaml:4:7").contains("TG_ALICE").contains("alice")
                        .contains("shorter than 16 characters").doesNotContain("fifteen-chars!!"));
    }

    @Test
    void aTokenOf16CharactersIsEnoughAndAShortTokenMattersOnlyWithTheAdminApiOn() throws IOException {
        assertThat(resolve("admin: {listen: 127.0.0.1:0}\n", Map.of("TOOLGUARD_ADMIN_TOKEN", "0123456789abcdef"))
                .problems()).isEmpty();
        assertThat(resolve("audit: {file: a.jsonl}\n", Map.of("TOOLGUARD_ADMIN_TOKEN", "abc")).problems()).isEmpty();
    }

    @Test
    void theServersLimitsHaveDefaultsAndCanBeSet() throws IOException {
        assertThat(resolve("admin: {listen: 127.0.0.1:0}\n", Map.of()).config().adminLimits()).isEqualTo(AdminLimits.DEFAULT);

        ConfigResolver.Result r = resolve("""
                admin:
                  header_timeout: 2s
                  read_timeout: 3s
                  max_connections: 8
                  max_body_bytes: 4096
                """, Map.of());

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().adminLimits()).isEqualTo(new AdminLimits(Duration.ofSeconds(2), Duration.ofSeconds(3), 8,
                4096, AdminLimits.DEFAULT_MAX_HEADER_BYTES));
    }

    @Test
    void aZeroTimeoutOrNoConnectionsAreProblems() throws IOException {
        ConfigResolver.Result r = resolve("""
                admin:
                  header_timeout: 0
                  max_connections: 0
                """, Map.of());

        assertThat(r.problems()).extracting(ConfigProblem::toString).satisfiesExactly(
                p -> assertThat(p).contains("toolguard.yaml:2:19").contains("admin.header_timeout must be more than 0"),
                p -> assertThat(p).contains("toolguard.yaml:3:20").contains("admin.max_connections"));
        assertThat(r.config().adminLimits()).isEqualTo(AdminLimits.DEFAULT);
    }

    @Test
    void aUsersTokenMayBeInAFileBesideTheConfig() throws IOException {
        Files.writeString(dir.resolve("alice.token"), "alice-file-token-0123456789\n");

        ConfigResolver.Result r = resolve("""
                admin:
                  listen: 127.0.0.1:0
                  users:
                    - {name: alice, token_file: alice.token, role: approver}
                """, Map.of());

        assertThat(r.problems()).isEmpty();
        assertThat(r.config().adminUsers()).singleElement().satisfies(u -> {
            assertThat(u.tokenEnv()).isNull();
            assertThat(u.tokenFile()).isEqualTo(dir.resolve("alice.token"));
        });
    }

    @Test
    void aMissingOrShortTokenFileOrBothSourcesAreProblemsThatNeverShowTheToken() throws IOException {
        Files.writeString(dir.resolve("short.token"), "short-secret");

        ConfigResolver.Result r = resolve("""
                admin:
                  listen: 127.0.0.1:0
                  users:
                    - {name: alice, token_file: nowhere.token, role: approver}
                    - {name: bob, token_file: short.token, role: approver}
                    - {name: carol, token_env: TG_ALICE, token_file: short.token, role: approver}
                    - {name: dan, role: approver}
                """, TOKENS);

        assertThat(r.problems()).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("the token of admin user alice cannot be read").contains("nowhere.token"));
        assertThat(r.problems()).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("short.token is shorter than 16 characters").contains("admin user bob"));
        assertThat(r.problems()).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("both token_env and token_file"));
        assertThat(r.problems()).extracting(ConfigProblem::message).anySatisfy(m -> assertThat(m)
                .contains("lacks token_env (or token_file)"));
        assertThat(r.problems()).extracting(ConfigProblem::message).noneMatch(m -> m.contains("short-secret"));
    }
}
