package dev.toolguard.agent.instrument.mcp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.toolguard.agent.instrument.DeclaredMethods.matching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hook's matchers against the class files of the SDK the agent is compiled with: each finds exactly the one
 * lambda body it is meant for, in the session servers the integration tests run and in the stateless ones they
 * do not.
 */
class McpHooksTest {

    @Test
    void theToolsCallHandlerIsFoundInBothServers() {
        for (String server : List.of(McpHooks.SESSION_SERVER, McpHooks.STATELESS_SERVER)) {
            assertThat(matching(server, McpHooks.toolsCallHandler())).as(server).singleElement().asString()
                    .startsWith("lambda$toolsCallRequestHandler$").endsWith(";Ljava/lang/Object;)Lreactor/core/publisher/Mono;");
        }
    }

    @Test
    void theSyncHandlerCallIsFoundInBothAdapters() {
        for (String adapter : List.of(McpHooks.SYNC_ADAPTER, McpHooks.STATELESS_SYNC_ADAPTER)) {
            assertThat(matching(adapter, McpHooks.syncHandlerCall())).as(adapter).singleElement().asString()
                    .startsWith("lambda$fromSync$").endsWith(")Lio/modelcontextprotocol/spec/McpSchema$CallToolResult;");
        }
    }

    @Test
    void theListFilterIsOnTheResponsesCanonicalConstructor() {
        assertThat(matching(McpHooks.JSON_RPC_RESPONSE, McpHooks.responseConstructor())).singleElement()
                .isEqualTo("<init>(Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;"
                        + "Lio/modelcontextprotocol/spec/McpSchema$JSONRPCResponse$JSONRPCError;)V");
    }

    @Test
    void theListFilterOfEachToolIsFoundInBothServersAndTheWholeResponseIsThenLeftAlone() {
        for (String server : List.of(McpHooks.SESSION_SERVER, McpHooks.STATELESS_SERVER)) {
            assertThat(matching(server, McpHooks.toolListEntry())).as(server).singleElement().asString()
                    .startsWith("lambda$toolsListRequestHandler$")
                    .endsWith(";Lio/modelcontextprotocol/spec/McpSchema$Tool;)Lorg/reactivestreams/Publisher;");
        }
        assertThat(McpHooks.filtersEachListedTool(McpHooksTest.class.getClassLoader())).isTrue();
    }
}
