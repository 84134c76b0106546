package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.api.internal.GuardBridge;
import io.modelcontextprotocol.spec.McpSchema;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import reactor.core.publisher.Mono;

/**
 * Exit advice on the per-tool filter of a server's {@code tools/list} handler (SDK 2.2 and later:
 * {@code lambda$toolsListRequestHandler$N(exchange or transport context, Tool)}, where the SDK asks an
 * application's {@code McpAsyncListFilter}): a tool the caller may never call answers {@code false}. The decision
 * is made with the request's exchange (or transport context) for the context sources, so roles an HTTP server
 * puts into its {@code McpTransportContext} count here as they do for the call (SPEC §8).
 */
final class ToolListEntry {

    private ToolListEntry() {
    }

    // a failure here leaves the SDK's answer: discovery is a courtesy, every call is still decided
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Argument(0) Object exchange, @Advice.Argument(1) Object tool,
                     @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object listed) {
        if (tool instanceof McpSchema.Tool t && !GuardBridge.discoverable(t.name(), new Object[] {exchange})) {
            listed = Mono.just(Boolean.FALSE);
        }
    }
}
