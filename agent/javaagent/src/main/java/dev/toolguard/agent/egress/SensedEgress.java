package dev.toolguard.agent.egress;

import dev.toolguard.policy.egress.EgressKind;
import dev.toolguard.policy.egress.EgressRequest;

import java.lang.reflect.Method;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads what each sensor hands over into an {@link EgressRequest}: the JDK's own types directly, a library's (mail,
 * Apache HttpClient, OkHttp) through its public methods by reflection, since the agent does not link against them.
 * Whatever cannot be read is an unreadable request (refused where its kind is restricted), never a guess.
 */
final class SensedEgress {

    private SensedEgress() {
    }

    /** The kind of egress a sensor sees. */
    static EgressKind kindOf(String sensor) {
        return switch (sensor) {
            case "jdbc", "jdbc-prepared" -> EgressKind.SQL;
            case "mail", "mail-transport" -> EgressKind.MAIL;
            case "exec" -> EgressKind.EXEC;
            default -> EgressKind.HTTP;
        };
    }

    static EgressRequest jdkHttp(Object subject) {
        HttpRequest request = (HttpRequest) subject;
        return http(request.method(), request.uri());
    }

    static EgressRequest urlConnection(Object subject) {
        HttpURLConnection connection = (HttpURLConnection) subject;
        URL url = connection.getURL();
        int port = url.getPort() >= 0 ? url.getPort() : url.getDefaultPort();
        return EgressRequest.http(connection.getRequestMethod().toUpperCase(Locale.ROOT), host(url.getHost()), port);
    }

    /** An {@code HttpURLConnection}'s request sent through {@code via} (the proxy a {@code 305} answer named). */
    static EgressRequest urlConnectionThrough(Object connection, URL via) {
        int port = via.getPort() >= 0 ? via.getPort() : via.getDefaultPort();
        return EgressRequest.http(((HttpURLConnection) connection).getRequestMethod().toUpperCase(Locale.ROOT),
                host(via.getHost()), port);
    }

    static EgressRequest http(String method, URI uri) {
        if (uri == null || uri.getHost() == null) {
            return EgressRequest.unreadable(EgressKind.HTTP, "the request names no host");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return EgressRequest.http(method.toUpperCase(Locale.ROOT), host(uri.getHost()), port);
    }

    /** Lower case, without the brackets of an IPv6 literal, without a trailing dot: as policies write hosts. */
    static String host(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    static EgressRequest exec(Object subject) {
        List<String> command = ((ProcessBuilder) subject).command();
        return EgressRequest.exec(command.isEmpty() || command.get(0) == null ? "" : command.get(0));
    }

    /**
     * {@code Transport.send(Message[, Address[]][, user, password])} and a transport's
     * {@code sendMessage(Message, Address[])}: the addresses given, else the message's every recipient (To, Cc, Bcc);
     * only the addresses are kept (a display name is no recipient).
     */
    static EgressRequest mail(Object subject) throws ReflectiveOperationException {
        Object[] args = (Object[]) subject;
        Object[] addresses = null;
        if (args.length >= 2 && args[1] instanceof Object[] given) {
            addresses = given;
        } else if (args.length >= 1 && args[0] != null) {
            Method all = args[0].getClass().getMethod("getAllRecipients");
            addresses = (Object[]) all.invoke(args[0]);
        }
        List<String> out = new ArrayList<>();
        if (addresses != null) {
            for (Object a : addresses) {
                out.add(address(a));
            }
        }
        return EgressRequest.mail(List.copyOf(out));
    }

    private static String address(Object address) throws ReflectiveOperationException {
        if (address == null) {
            return "";
        }
        Object plain;
        try {
            plain = address.getClass().getMethod("getAddress").invoke(address);
        } catch (NoSuchMethodException notInternet) {
            plain = address.toString();
        }
        return plain == null ? "" : plain.toString().strip().toLowerCase(Locale.ROOT);
    }

    /** Apache HttpClient 5: {@code doExecute(HttpHost target, ClassicHttpRequest request, HttpContext)}. */
    static EgressRequest apache5(Object subject) throws ReflectiveOperationException {
        Object[] args = (Object[]) subject;
        Object request = args[1];
        String method = (String) request.getClass().getMethod("getMethod").invoke(request);
        Object target = args[0];
        if (target != null) {
            String host = (String) target.getClass().getMethod("getHostName").invoke(target);
            int port = (Integer) target.getClass().getMethod("getPort").invoke(target);
            String scheme = (String) target.getClass().getMethod("getSchemeName").invoke(target);
            if (port < 0) {
                port = "https".equalsIgnoreCase(scheme) ? 443 : 80;
            }
            return EgressRequest.http(method.toUpperCase(Locale.ROOT), host(host), port);
        }
        return http(method, (URI) request.getClass().getMethod("getUri").invoke(request));
    }

    /**
     * Apache HttpClient 5: the scope of one exchange the classic client makes,
     * {@code ExecChain.Scope(exchangeId, route, request, ...)}: its route's target host and port, the request's method.
     */
    static EgressRequest apache5Scope(Object route, Object request) throws ReflectiveOperationException {
        Object target = route.getClass().getMethod("getTargetHost").invoke(route);
        return apache5(new Object[] {target, request});
    }

    /** Apache HttpClient 5's async client: the route of an {@code AsyncExecChain.Scope} (its public field). */
    static Object apache5AsyncRoute(Object scope) throws ReflectiveOperationException {
        return scope.getClass().getField("route").get(scope);
    }

    /**
     * Apache HttpClient 5's async client: the future of the request an {@code AsyncExecChain.Scope} is for (its public
     * field {@code cancellableDependency}), which the scopes of the request's every exchange share.
     */
    static Object apache5AsyncExchange(Object scope) throws ReflectiveOperationException {
        return scope.getClass().getField("cancellableDependency").get(scope);
    }

    /**
     * Apache HttpClient 5's minimal async clients: the request of the exchange handler their {@code execute} is given,
     * which every {@code execute} of a producer makes ({@code BasicClientExchangeHandler} of a
     * {@code BasicRequestProducer}, what {@code SimpleRequestProducer} and {@code AsyncRequestBuilder} make). Those keep
     * it in private fields; a handler or producer of another kind cannot be read.
     */
    static Object apache5MinimalRequest(Object handler) throws ReflectiveOperationException {
        Object producer = privateField(handler, "org.apache.hc.core5.http.nio.support.BasicClientExchangeHandler",
                "requestProducer");
        return privateField(producer, "org.apache.hc.core5.http.nio.support.BasicRequestProducer", "request");
    }

    private static Object privateField(Object o, String declaredIn, String name) throws ReflectiveOperationException {
        for (Class<?> c = o == null ? null : o.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(declaredIn)) {
                java.lang.reflect.Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                Object value = f.get(o);
                if (value == null) {
                    throw new NoSuchFieldException(declaredIn + "." + name + " is null");
                }
                return value;
            }
        }
        throw new NoSuchFieldException((o == null ? "null" : o.getClass().getName()) + " is no " + declaredIn);
    }

    /** OkHttp: the call's {@code request()}, its {@code method()} and {@code url()}'s host and port. */
    static EgressRequest okHttp(Object call) throws ReflectiveOperationException {
        return okHttpRequestOf(okHttpRequest(call));
    }

    /** OkHttp: the request a call was made with. */
    static Object okHttpRequest(Object call) throws ReflectiveOperationException {
        return call.getClass().getMethod("request").invoke(call);
    }

    /** OkHttp: a {@code Request}'s {@code method()} and {@code url()}'s host and port. */
    static EgressRequest okHttpRequestOf(Object request) throws ReflectiveOperationException {
        String method = (String) request.getClass().getMethod("method").invoke(request);
        Object url = request.getClass().getMethod("url").invoke(request);
        String host = (String) url.getClass().getMethod("host").invoke(url);
        int port = (Integer) url.getClass().getMethod("port").invoke(url);
        return EgressRequest.http(method.toUpperCase(Locale.ROOT), host(host), port);
    }
}
