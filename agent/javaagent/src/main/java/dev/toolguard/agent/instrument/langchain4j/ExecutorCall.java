package dev.toolguard.agent.instrument.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.toolguard.api.internal.GuardBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code ToolService.executeWithErrorHandling(request, executor, ...)} (LangChain4j 1.4 and later),
 * through which an AI service runs every tool call: decides a call of a tool that is not a {@code @Tool} method,
 * a programmatic {@code ToolExecutor} (often a lambda, which no class-level rule can reach) or the executor of a
 * {@code ToolProvider} such as {@code McpToolProvider}. A {@code DefaultToolExecutor} runs a {@code @Tool}
 * method, which is decided where it runs, with its Java arguments: that call proceeds here.
 *
 * <p>A denied call proceeds with an executor that throws the denial (as the cause, as {@code DefaultToolExecutor}
 * wraps a tool method's exception) in place of the real one, so that LangChain4j's own error handling
 * ({@code ToolExecutionErrorHandler}, which is handed the cause) gives the model the denial text as the tool's
 * error, exactly as for a denied {@code @Tool} method. If this advice fails before the executor is replaced, the
 * method is skipped and throws the refusal (GuardBridge's protocol).
 */
final class ExecutorCall {

    static final String SITE = "dev.langchain4j.service.tool.ToolExecutor#execute";

    private ExecutorCall() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnDefaultValue.class, suppress = Throwable.class)
    static Object enter(@Advice.Argument(0) ToolExecutionRequest request,
                        @Advice.Argument(value = 1, readOnly = false) ToolExecutor executor) {
        if (executor instanceof DefaultToolExecutor) {
            return GuardBridge.PROCEED;
        }
        String arguments = request.arguments();
        Object verdict = GuardBridge.enterNamed("langchain4j", request.name(), SITE,
                arguments == null || arguments.isBlank() ? "{}" : arguments, new Object[] {executor});
        if (verdict instanceof Throwable) {
            executor = (ToolExecutor) GuardBridge.refusing(ToolExecutor.class, verdict);
            return GuardBridge.PROCEED;
        }
        return verdict;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class)
    static void exit(@Advice.Enter Object ticket,
                     @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object result,
                     @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (ticket == null) {
            thrown = GuardBridge.refusal(null);
        } else {
            GuardBridge.exit(ticket, result, thrown);
        }
    }
}
