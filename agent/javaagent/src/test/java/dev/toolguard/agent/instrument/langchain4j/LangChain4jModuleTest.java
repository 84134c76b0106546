package dev.toolguard.agent.instrument.langchain4j;

import org.junit.jupiter.api.Test;

import static dev.toolguard.agent.instrument.DeclaredMethods.matching;
import static org.assertj.core.api.Assertions.assertThat;

/** The hook's matchers against the class files of the LangChain4j the agent is compiled with. */
class LangChain4jModuleTest {

    @Test
    void everyToolCallOfAnAiServiceGoesThroughTheOneMethodAdvised() {
        assertThat(matching(LangChain4jModule.TOOL_SERVICE, LangChain4jModule.executorCall())).singleElement().asString()
                .startsWith("executeWithErrorHandling(Ldev/langchain4j/agent/tool/ToolExecutionRequest;"
                        + "Ldev/langchain4j/service/tool/ToolExecutor;");
    }

    @Test
    void concurrentToolCallsAreFoundWhereTheyAreHandedToThreadsAndWhereEachRuns() {
        assertThat(matching(LangChain4jModule.TOOL_SERVICE, LangChain4jModule.concurrentCalls())).singleElement().asString()
                .startsWith("executeConcurrently(Ljava/util/List;Ljava/util/Map;");
        assertThat(matching(LangChain4jModule.TOOL_SERVICE, LangChain4jModule.concurrentCall())).singleElement().asString()
                .startsWith("lambda$executeConcurrently$");
    }
}
