package dev.toolguard.agent.instrument.quarkus;

import org.junit.jupiter.api.Test;

import static dev.toolguard.agent.instrument.DeclaredMethods.matching;
import static org.assertj.core.api.Assertions.assertThat;

/** The hooks' matchers against the class files of the Quarkus LangChain4j the agent is built for. */
class QuarkusLangChain4jModuleTest {

    @Test
    void everyToolCallOfAnAiServiceGoesThroughTheOneMethodAdvised() {
        assertThat(matching(QuarkusLangChain4jModule.SUPPORT, QuarkusLangChain4jModule.executeTool())).singleElement()
                .asString().startsWith("executeTool(Ldev/langchain4j/agent/tool/ToolExecutionRequest;"
                        + "Ldev/langchain4j/service/tool/ToolExecutor;");
    }

    @Test
    void theFirstRequestOfACallIsTheOneOverloadThatIsGivenTheCallsToolList() {
        assertThat(matching(QuarkusLangChain4jModule.SUPPORT, QuarkusLangChain4jModule.firstChatRequest()))
                .singleElement().asString()
                .startsWith("createChatRequest(Lio/quarkiverse/langchain4j/runtime/aiservice/QuarkusAiServiceContext;");
    }
}
