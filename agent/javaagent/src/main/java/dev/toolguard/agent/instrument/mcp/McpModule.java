package dev.toolguard.agent.instrument.mcp;

import dev.toolguard.agent.context.ContextSourceFactory;
import dev.toolguard.agent.context.McpContextSource;
import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

import java.util.ArrayList;
import java.util.List;

import static dev.toolguard.agent.instrument.Hook.Role.FILTERS_DISCOVERY;
import static dev.toolguard.agent.instrument.Hook.Role.GUARDS_CALLS;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The MCP Java SDK ({@code io.modelcontextprotocol.sdk:mcp-core}, 1.0 to 2.2): tool calls served by its servers,
 * whose tools are handler functions, not methods of their own.
 *
 * <p>A server built with {@code McpServer.sync(...)} or {@code McpServer.async(...)} is an {@code McpAsyncServer}
 * (or {@code McpStatelessAsyncServer}) whose {@code tools/call} request handler finds the tool and applies its
 * handler; a {@code SyncToolSpecification} is turned into an async one by the adapter
 * {@code AsyncToolSpecification.fromSync}, whose callable runs the sync handler. Both are lambdas, so the advice
 * goes on their bodies, synthetic methods named by javac after the method that creates them:
 * <ul>
 * <li>a sync tool is decided in the adapter's callable ({@link SyncToolCall}), on the thread that runs its body,
 * so that its outcome is recorded after the body and a guarded method it calls for the same tool passes through;</li>
 * <li>an async tool is decided in the {@code tools/call} handler ({@link AsyncToolCall}), before its handler is
 * applied; the handler returns a Mono whose body may run later, on another thread.</li>
 * </ul>
 * A denial is returned as a {@code CallToolResult} with {@code isError: true}: the SDK would turn a thrown exception
 * into a JSON-RPC error, which clients treat as a failure of the server, not as a tool result the model reads.
 *
 * <p>Tool lists are filtered, from SDK 2.2, where the server's {@code tools/list} handler asks its per-tool list
 * filter ({@link ToolListEntry}), with the request's exchange for the context sources; on older SDKs where the
 * server builds the JSON-RPC response carrying a {@code ListToolsResult} ({@link ToolListResponse}): every server
 * of the SDK, stateful or not, whatever its transport, goes through that record's constructor, and a client never
 * does (it reads results as plain JSON).
 */
public final class McpModule extends InstrumentationModule {

    static final String SESSION_SERVER = "io.modelcontextprotocol.server.McpAsyncServer";
    static final String STATELESS_SERVER = "io.modelcontextprotocol.server.McpStatelessAsyncServer";
    static final String SYNC_ADAPTER = "io.modelcontextprotocol.server.McpServerFeatures$AsyncToolSpecification";
    static final String STATELESS_SYNC_ADAPTER =
            "io.modelcontextprotocol.server.McpStatelessServerFeatures$AsyncToolSpecification";
    static final String JSON_RPC_RESPONSE = "io.modelcontextprotocol.spec.McpSchema$JSONRPCResponse";

    @Override
    public String name() {
        return "mcp";
    }

    @Override
    public String markerClass() {
        return SESSION_SERVER;
    }

    @Override
    public String versionArtifact() {
        return "io.modelcontextprotocol.sdk:mcp-core";
    }

    @Override
    public String supportedVersions() {
        return "1.0 to 2.2";
    }

    @Override
    public List<String> plumbingTypes() {
        return List.of("io.modelcontextprotocol.server.McpSyncServerExchange",
                "io.modelcontextprotocol.server.McpAsyncServerExchange");
    }

    @Override
    public List<ContextSourceFactory> contextSources() {
        return List.of(new McpContextSource.Factory());
    }

    @Override
    public List<Hook> hooks() {
        List<Hook> hooks = new ArrayList<>();
        for (String server : List.of(SESSION_SERVER, STATELESS_SERVER)) {
            hooks.add(Hook.of(GUARDS_CALLS, server, toolsCallHandler(),
                    "lambda$toolsCallRequestHandler$N(exchange, Object) returning Mono", advice("AsyncToolCall"))
                    .onLambdaBodies());
            hooks.add(Hook.of(FILTERS_DISCOVERY, server, toolListEntry(),
                    "lambda$toolsListRequestHandler$N(exchange, Tool) returning Publisher", advice("ToolListEntry"))
                    .onLambdaBodies().since("2.2"));
        }
        for (String adapter : List.of(SYNC_ADAPTER, STATELESS_SYNC_ADAPTER)) {
            hooks.add(Hook.of(GUARDS_CALLS, adapter, syncHandlerCall(),
                    "lambda$fromSync$N(spec, exchange, CallToolRequest) returning CallToolResult", advice("SyncToolCall"))
                    .onLambdaBodies());
        }
        hooks.add(Hook.fuse("io.modelcontextprotocol.spec.McpSchema$CallToolRequest"));
        hooks.add(Hook.of(FILTERS_DISCOVERY, JSON_RPC_RESPONSE, responseConstructor(),
                "JSONRPCResponse(String, Object, Object, JSONRPCError)", advice("ToolListResponse")).until("2.2"));
        return hooks;
    }

    /**
     * {@code lambda$toolsListRequestHandler$N(exchange or transport context, Tool)} returning a {@code Publisher}
     * of whether the tool is listed: the SDK's per-tool list filter (2.2 and later).
     */
    static ElementMatcher<MethodDescription> toolListEntry() {
        return nameStartsWith("lambda$toolsListRequestHandler$").and(takesArguments(2))
                .and(takesArgument(1, named("io.modelcontextprotocol.spec.McpSchema$Tool")))
                .and(returns(named("org.reactivestreams.Publisher")));
    }

    /** {@code JSONRPCResponse(String jsonrpc, Object id, Object result, JSONRPCError error)}, the record's own. */
    static ElementMatcher<MethodDescription> responseConstructor() {
        return isConstructor().and(takesArguments(4)).and(takesArgument(2, Object.class));
    }

    /**
     * The callable of {@code AsyncToolSpecification.fromSync} that applies a sync tool's handler:
     * {@code lambda$fromSync$N(SyncToolSpecification, exchange or transport context, CallToolRequest)}, returning
     * the handler's {@code CallToolResult}. The adapter's other lambda takes a boolean too and returns a Mono.
     */
    static ElementMatcher<MethodDescription> syncHandlerCall() {
        return nameStartsWith("lambda$fromSync$")
                .and(takesArguments(3))
                .and(takesArgument(2, named("io.modelcontextprotocol.spec.McpSchema$CallToolRequest")))
                .and(returns(named("io.modelcontextprotocol.spec.McpSchema$CallToolResult")));
    }

    /**
     * The body of the {@code tools/call} request handler: javac names it after the method that creates the lambda,
     * {@code toolsCallRequestHandler}, and it takes the exchange (or transport context) and the raw params. The
     * lambda that finds the tool by name in the same method takes other arguments and returns a boolean.
     */
    static ElementMatcher<MethodDescription> toolsCallHandler() {
        return nameStartsWith("lambda$toolsCallRequestHandler$")
                .and(takesArguments(2))
                .and(takesArgument(1, Object.class))
                .and(returns(named("reactor.core.publisher.Mono")));
    }
}
