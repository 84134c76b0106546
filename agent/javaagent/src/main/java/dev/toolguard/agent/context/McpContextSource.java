package dev.toolguard.agent.context;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Source {@code mcp}: what the MCP Java SDK knows about the client of a {@code tools/call}, read from the
 * exchange (or, on a stateless server, the transport context) that the {@code mcp} hook hands over with the
 * call. Values, mapped to context paths:
 * <ul>
 * <li>{@code client.name}, {@code client.version}: the client's {@code clientInfo} from the MCP handshake. It is a
 * claim the client makes about itself (any client, remote over HTTP too, may say it is anything), so it is kept
 * under {@code mcp.client.*} only and never becomes {@code agent.*} or {@code user.*} (SPEC §6): a policy may
 * read it, but no role or scope rests on it;</li>
 * <li>{@code session.id}: the MCP session, so that {@code sequences} are kept per session;</li>
 * <li>{@code transport.<key>}: an entry of the SDK's {@code McpTransportContext}, which an HTTP server fills from
 * each request with its {@code McpTransportContextExtractor} (e.g. the authenticated user).</li>
 * </ul>
 * Values are converted by the values toolkit ({@link ContextTree#putConverted}); one that cannot be converted
 * denies the call, naming its path.
 * With an empty mapping ({@code mcp: {}}): {@code mcp.client.name: client.name, mcp.client.version: client.version,
 * session.id: session.id}. The SDK's types
 * are the application's, so they are read reflectively; a call of any other framework contributes nothing.
 */
public final class McpContextSource implements ContextSource {

    public static final String NAME = "mcp";

    private static final String EXCHANGE = "io.modelcontextprotocol.server.McpAsyncServerExchange";
    private static final String TRANSPORT_CONTEXT = "io.modelcontextprotocol.common.McpTransportContext";
    private static final String TRANSPORT = "transport.";
    private static final List<String> FIXED = List.of("client.name", "client.version", "session.id");
    /** Where the client's claims may go: nowhere a decision would take them for a verified identity. */
    private static final String CLAIMS = "mcp.client.";

    /** The exchange's and transport context's readers, per class of the application's SDK. */
    private static final ClassValue<Optional<Readers>> READERS = new ClassValue<>() {
        @Override
        protected Optional<Readers> computeValue(Class<?> type) {
            return Readers.of(type);
        }
    };

    private final Map<String, String> pathToValue;

    McpContextSource(Map<String, String> pathToValue) {
        this.pathToValue = Map.copyOf(pathToValue);
    }

    @Override
    public void contribute(CallSite call, ContextTree ctx) {
        for (Object extra : call.args()) {
            if (extra == null) {
                continue;
            }
            Optional<Readers> readers = READERS.get(extra.getClass());
            if (readers.isPresent()) {
                pathToValue.forEach((path, what) -> ctx.putConverted(path, readers.get().read(extra, what)));
                return;
            }
        }
    }

    /** Method handles on the application's SDK classes: an exchange, or a bare transport context. */
    private record Readers(MethodHandle clientInfo, MethodHandle clientName, MethodHandle clientVersion,
                           MethodHandle sessionId, MethodHandle transportContext, MethodHandle get) {

        static Optional<Readers> of(Class<?> type) {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                if (type.getName().equals(EXCHANGE)) {
                    Class<?> context = Class.forName(TRANSPORT_CONTEXT, false, type.getClassLoader());
                    // the client's Implementation is a record: name() and version()
                    Class<?> implementation = type.getMethod("getClientInfo").getReturnType();
                    return Optional.of(new Readers(
                            lookup.unreflect(type.getMethod("getClientInfo")),
                            lookup.unreflect(implementation.getMethod("name")),
                            lookup.unreflect(implementation.getMethod("version")),
                            lookup.unreflect(type.getMethod("sessionId")),
                            lookup.unreflect(type.getMethod("transportContext")),
                            lookup.findVirtual(context, "get", MethodType.methodType(Object.class, String.class))));
                }
                for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                    for (Class<?> i : c.getInterfaces()) {
                        if (i.getName().equals(TRANSPORT_CONTEXT)) {
                            return Optional.of(new Readers(null, null, null, null, null,
                                    lookup.findVirtual(i, "get", MethodType.methodType(Object.class, String.class))));
                        }
                    }
                }
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // an SDK shaped otherwise than we know contributes nothing
            }
            return Optional.empty();
        }

        Object read(Object extra, String what) {
            try {
                if (what.startsWith(TRANSPORT)) {
                    Object context = transportContext == null ? extra : transportContext.invoke(extra);
                    return context == null ? null : get.invoke(context, what.substring(TRANSPORT.length()));
                }
                if (clientInfo == null) {
                    return null;
                }
                if (what.equals("session.id")) {
                    return sessionId.invoke(extra);
                }
                Object info = clientInfo.invoke(extra);
                if (info == null) {
                    return null;
                }
                return (what.equals("client.name") ? clientName : clientVersion).invoke(info);
            } catch (Throwable t) {
                // a value we cannot read is absent, never empty
                return null;
            }
        }
    }

    /** Found by {@link java.util.ServiceLoader} (META-INF/services). */
    public static final class Factory implements ContextSourceFactory {
        public Factory() {
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public ContextSource create(Map<String, String> mapping, Consumer<String> problem) {
            if (mapping.isEmpty()) {
                Map<String, String> defaults = new LinkedHashMap<>();
                defaults.put("mcp.client.name", "client.name");
                defaults.put("mcp.client.version", "client.version");
                defaults.put("session.id", "session.id");
                return new McpContextSource(defaults);
            }
            boolean usable = true;
            for (Map.Entry<String, String> e : mapping.entrySet()) {
                String what = e.getValue();
                if (!FIXED.contains(what) && !(what.startsWith(TRANSPORT) && what.length() > TRANSPORT.length())) {
                    problem.accept("unknown value '" + what + "' for " + e.getKey()
                            + " (use client.name, client.version, session.id or transport.<key>)");
                    usable = false;
                } else if (what.startsWith("client.") && !e.getKey().startsWith(CLAIMS)) {
                    problem.accept(what + " is what the MCP client says of itself, unverified: it may be mapped under "
                            + CLAIMS + "* only, not to " + e.getKey() + " (e.g. " + CLAIMS + what.substring(7) + ": " + what + ")");
                    usable = false;
                }
            }
            return usable ? new McpContextSource(mapping) : null;
        }
    }
}
