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
class McpModuleTest {

    @Test
    void theToolsCallHandlerIsFoundInBothServers() {
        for (String server : List.of(McpModule.SESSION_SERVER, McpModule.STATELESS_SERVER)) {
            assertThat(matching(server, McpModule.toolsCallHandler())).as(server).singleElement().asString()
                    .startsWith("lambda$toolsCallRequestHandler$").endsWith(";Ljava/lang/Object;)Lreactor/core/publisher/Mono;");
        }
    }

    @Test
    void theSyncHandlerCallIsFoundInBothAdapters() {
        for (String adapter : List.of(McpModule.SYNC_ADAPTER, McpModule.STATELESS_SYNC_ADAPTER)) {
            assertThat(matching(adapter, McpModule.syncHandlerCall())).as(adapter).singleElement().asString()
                    .startsWith("lambda$fromSync$").endsWith(")Lio/modelcontextprotocol/spec/McpSchema$CallToolResult;");
        }
    }

    @Test
    void theListFilterIsOnTheResponsesCanonicalConstructor() {
        assertThat(matching(McpModule.JSON_RPC_RESPONSE, McpModule.responseConstructor())).singleElement()
                .isEqualTo("<init>(Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;"
                        + "Lio/modelcontextprotocol/spec/McpSchema$JSONRPCResponse$JSONRPCError;)V");
    }

    @Test
    void theListFilterOfEachToolIsFoundInBothServers() {
        for (String server : List.of(McpModule.SESSION_SERVER, McpModule.STATELESS_SERVER)) {
            assertThat(matching(server, McpModule.toolListEntry())).as(server).singleElement().asString()
                    .startsWith("lambda$toolsListRequestHandler$")
                    .endsWith(";Lio/modelcontextprotocol/spec/McpSchema$Tool;)Lorg/reactivestreams/Publisher;");
        }
    }
}
