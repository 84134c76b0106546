package dev.toolguard.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.toolguard.it.agent.apps.OddArgumentsApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §7: arguments become JSON-like values before any policy sees them; what cannot is a clean denial. */
class OddArgumentsIT {

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;

    @BeforeAll
    static void runTheApp() throws Exception {
        scenario = new Scenario(dir);
        scenario.policy("inspect.yaml");
        app = scenario.app().agentOptions("config=" + scenario.config("")).main(OddArgumentsApp.class).run();
    }

    private static JsonNode decision(int i) {
        return AuditFile.ofType(scenario.audit(), "decision").get(i);
    }

    @Test
    void nullsRecordsBeansEnumsAndOptionalsArePlainValues() {
        assertThat(app.stdoutLines()).contains("null: ok", "record: ok", "bean: ok");
        assertThat(decision(0).path("args").toString()).isEqualTo("{\"value\":null}");
        assertThat(decision(1).path("args").toString())
                .isEqualTo("{\"value\":{\"id\":\"o-1\",\"amount\":12.5,\"priority\":\"HIGH\",\"note\":\"gift\"}}");
        assertThat(decision(2).path("args").toString()).isEqualTo("{\"value\":{\"name\":\"Ada\",\"vip\":true}}");
    }

    @Test
    void aHugeStringIsDecidedAndCutInTheAuditRecord() {
        assertThat(app.stdoutLines()).contains("huge: ok");
        assertThat(decision(3).path("args").path("value").asText()).hasSizeLessThan(2200).startsWith("xxxx");
    }

    @Test
    void aValueThatContainsItselfIsDeniedWithoutRunningTheBody() {
        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("cyclic: denied rule=on_error")
                .contains("argument /value/self cannot be read").contains("contains itself"));
        assertThat(decision(4).path("action").asText()).isEqualTo("deny");
        assertThat(decision(4).path("field").asText()).isEqualTo("/value/self");
    }

    @Test
    void aValueNestedTooDeeplyIsDenied() {
        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("deep: denied rule=on_error")
                .contains("nested more than"));
    }

    @Test
    void aValueOfNoPlainShapeIsDenied() {
        assertThat(app.stdoutLines()).anySatisfy(l -> assertThat(l).startsWith("thread: denied rule=on_error")
                .contains("java.lang.Thread"));
    }

    @Test
    void onlyTheReadableCallsRanAndTheAppCarriedOn() {
        List<String> lines = app.stdoutLines();
        assertThat(lines.stream().filter(l -> l.equals("body ran"))).hasSize(4);
        assertThat(lines).last().isEqualTo("done");
        assertThat(app.stderrLines()).singleElement().asString().startsWith("ToolGuard ");
    }
}
