package dev.toolguard.agent.instrument.semantickernel;

import org.junit.jupiter.api.Test;

import static dev.toolguard.agent.instrument.DeclaredMethods.matching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hook's matchers against the class files of the Semantic Kernel the agent is compiled with: each finds
 * exactly the one method or lambda body it is meant for (the integration tests run them on the oldest line too).
 */
class SemanticKernelModuleTest {

    @Test
    void theChatStartIsTheThreeArgumentInternalMethodReturningAMono() {
        assertThat(matching(SemanticKernelModule.CHAT_COMPLETION, SemanticKernelModule.chatStart())).singleElement()
                .asString().startsWith("internalChatMessageContentsAsync(").endsWith(")Lreactor/core/publisher/Mono;")
                .contains("Lcom/microsoft/semantickernel/orchestration/InvocationContext;)");
    }

    @Test
    void theToolCollectionIsTheLambdaThatAddsOneFunctionOfAPlugin() {
        assertThat(matching(SemanticKernelModule.CHAT_COMPLETION, SemanticKernelModule.toolCollection())).singleElement()
                .asString().startsWith("lambda$internalChatMessageContentsAsync$")
                .endsWith("Lcom/microsoft/semantickernel/semanticfunctions/KernelFunction;)V");
    }

    @Test
    void theReflectiveCallAndItsCallableBodyAreFound() {
        assertThat(matching(SemanticKernelModule.FUNCTION_FROM_METHOD, SemanticKernelModule.reflectiveCall())).singleElement()
                .isEqualTo("invokeAsyncFunction(Ljava/lang/reflect/Method;Ljava/lang/Object;Ljava/util/List;)Lreactor/core/publisher/Mono;");
        // the body of the callable, not the Mono.defer supplier that takes the same arguments
        assertThat(matching(SemanticKernelModule.FUNCTION_FROM_METHOD, SemanticKernelModule.reflectiveCallBody())).singleElement()
                .asString().startsWith("lambda$invokeAsyncFunction$")
                .endsWith("(Ljava/lang/reflect/Method;Ljava/lang/Object;Ljava/util/List;)Ljava/lang/Object;");
    }
}
