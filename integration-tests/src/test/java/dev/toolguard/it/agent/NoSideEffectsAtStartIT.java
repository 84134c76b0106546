package dev.toolguard.it.agent;

import dev.toolguard.it.agent.apps.HostFacilitiesApp;
import dev.toolguard.policy.state.redis.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §1, "it never changes anything but the tool methods it guards": nothing the agent does in {@code premain}
 * initialises a JDK facility that the application configures later. The app sets its own JUL log manager and
 * MBean server builder in {@code main}, which the JDK honours only if nothing used logging or JMX before; it is
 * run once with a config that turns on what the agent can start at once (audit log, admin API, rules file, MDC
 * context, approvals webhook, an HTTP policy source) and once with the Redis state store (whose connection pool
 * would register itself in JMX).
 */
class NoSideEffectsAtStartIT {

    /** The app with its own LoggerFinder service, which only this app has on its class path. */
    static final Path[] APP = {AgentProcess.TEST_CLASSES, AgentProcess.TEST_CLASSES.resolve("host-facilities")};

    @TempDir
    static Path dir;
    static RedisServer redis;
    static AgentProcess everything;
    static AgentProcess onRedis;

    @BeforeAll
    static void runTheAppUnderBothConfigs() throws Exception {
        Scenario s = new Scenario(Files.createDirectory(dir.resolve("everything")));
        s.policy("refunds.yaml");
        s.write("rules.yaml", """
                tools:
                  - class: dev.toolguard.it.agent.apps.HostFacilitiesApp
                    method: archiveCase
                    name: archive_case
                """);
        everything = s.app().agentOptions("config=" + s.config("""
                instrumentation:
                  rules: [rules.yaml]
                context:
                  - mdc: {session.id: sessionId}
                admin:
                  listen: 127.0.0.1:0
                approvals:
                  webhook: http://127.0.0.1:9/never-called
                """)).env("TOOLGUARD_ADMIN_TOKEN", "t0k3n-for-the-test")
                .main(HostFacilitiesApp.class.getName(), APP).run();

        try {
            redis = RedisServer.start();
        } catch (org.opentest4j.TestAbortedException noRedisServer) {
            return; // the Redis run is left out; .ci/run installs redis-server, so CI has it
        }
        Scenario r = new Scenario(Files.createDirectory(dir.resolve("redis")));
        r.policy("refunds.yaml");
        onRedis = r.app().agentOptions("config=" + r.config("""
                state:
                  store: redis
                  redis: {url: "%s", prefix: "side-effects:", timeout: 2s}
                """.formatted(redis.url()))).main(HostFacilitiesApp.class.getName(), APP).run();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.close();
        }
    }

    /** Both runs, or the first alone where redis-server is not installed. */
    static java.util.List<AgentProcess> runs() {
        return onRedis == null ? java.util.List.of(everything) : java.util.List.of(everything, onRedis);
    }

    @Test
    void theApplicationsLogManagerIsTheOneJulUses() {
        for (AgentProcess run : runs()) {
            assertThat(run.stdoutLines()).as(run.stderr())
                    .contains("log manager " + HostFacilitiesApp.OwnLogManager.class.getName());
        }
    }

    @Test
    void theApplicationsMBeanServerBuilderBuildsThePlatformServer() {
        for (AgentProcess run : runs()) {
            assertThat(run.stdoutLines()).contains("mbean server built by the app's builder: true");
        }
    }

    @Test
    void theApplicationsLoggerFinderIsMadeInMainNotInPremain() {
        for (AgentProcess run : runs()) {
            assertThat(run.stdoutLines()).contains("logger finder made before main: false");
        }
    }

    @Test
    void theAgentStartedAndDecided() {
        // the probe proves nothing if the agent did not run: the call is decided by the policy
        for (AgentProcess run : runs()) {
            assertThat(run.stdoutLines()).contains("call: denied rule=tools.issue_refund.rules[1]", "done")
                    .doesNotContain("body ran 900.0");
        }
        assertThat(everything.stderr()).contains("admin API on http://127.0.0.1:");
    }
}
