package dev.toolguard.agent.instrument.okhttp;

import dev.toolguard.agent.instrument.EgressFuse;
import dev.toolguard.agent.instrument.Hook;
import dev.toolguard.agent.instrument.InstrumentationModule;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The OkHttp egress sensor (SPEC §18): a call runs by {@code execute()} or {@code enqueue(Callback)} of its one
 * implementation, checked there before it is handed to the dispatcher; a refused {@code enqueue} throws at once.
 * OkHttp then makes requests of its own for the call (it follows redirects by default; application interceptors may
 * rewrite the request), each of which passes {@code enterNetworkInterceptorExchange(request, ...)} before a connection
 * is found for it, perhaps on the dispatcher's threads: there each one that is not the request checked already is
 * checked against the call.
 *
 * <p>Where it does not fit (OkHttp 3 among others, whose call class is not the one hooked), its fuse goes on what every
 * OkHttp from 3 on has: the client's constructors and its {@code newCall}/{@code newWebSocket}, and the constructors of
 * {@code RealInterceptorChain}, made for each request on the thread that runs it, and the call's own {@code execute} and
 * {@code enqueue} (in OkHttp 3's {@code okhttp3.RealCall} too): a client or call made outside a guarded call still
 * cannot send unchecked inside one.
 */
public final class OkHttpModule extends InstrumentationModule {

    private static final String CALL = "okhttp3.internal.connection.RealCall";
    /**
     * What says OkHttp is there: the client, in every version. Not {@link #CALL}: OkHttp 3 keeps its call elsewhere
     * ({@code okhttp3.RealCall}), and a marker it lacks would make it "absent", its requests sent unchecked; with
     * the client as the marker, OkHttp 3 is found, the hooks do not fit it, and tools whose policy restricts http
     * egress are denied (SPEC §13.4).
     */
    private static final String CLIENT = "okhttp3.OkHttpClient";

    @Override
    public dev.toolguard.policy.egress.EgressKind sensedEgress() {
        return dev.toolguard.policy.egress.EgressKind.HTTP;
    }

    @Override
    public String name() {
        return "okhttp";
    }

    @Override
    public String markerClass() {
        return CLIENT;
    }

    @Override
    public String versionArtifact() {
        return null;
    }

    @Override
    public String supportedVersions() {
        return "4.x and 5.x";
    }

    @Override
    public List<EgressFuse.At> egressFuses() {
        return List.of(
                new EgressFuse.At(CLIENT, isConstructor().or(namedOneOf("newCall", "newWebSocket")),
                        "OkHttpClient(...), newCall(Request), newWebSocket(...)"),
                new EgressFuse.At("okhttp3.internal.http.RealInterceptorChain", isConstructor(),
                        "RealInterceptorChain(...)"),
                // a call made outside the guarded call and run inside it: enqueue's chain runs on a dispatcher thread,
                // which carries no guarded call, so the call is stopped where it is run (OkHttp 3's, then 4 and 5's)
                new EgressFuse.At("okhttp3.RealCall", namedOneOf("execute", "enqueue"), "RealCall#execute(), enqueue(...)"),
                new EgressFuse.At(CALL, namedOneOf("execute", "enqueue"), "RealCall#execute(), enqueue(...)"));
    }

    @Override
    public List<Hook> hooks() {
        return List.of(
                Hook.of(Hook.Role.SENSES_EGRESS, CALL, named("execute").and(takesArguments(0)), "execute()",
                        advice("CallAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, CALL, named("enqueue").and(takesArguments(1)), "enqueue(Callback)",
                        advice("CallAdvice")),
                Hook.of(Hook.Role.SENSES_EGRESS, CALL, named("enterNetworkInterceptorExchange")
                                .and(takesArgument(0, named("okhttp3.Request"))),
                        "enterNetworkInterceptorExchange(Request, ...)", advice("NetworkHopAdvice")));
    }
}
