package dev.toolguard.agent.egress;

import dev.toolguard.agent.config.CredentialSpec;
import dev.toolguard.policy.egress.EgressRequest;
import dev.toolguard.policy.egress.EgressRule;
import dev.toolguard.policy.load.ToolPattern;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code credentials} of the agent config (SPEC §18), read once at start from their environment variables or
 * files and held only here: a credential's header is added to a request to one of its hosts made inside an allowed
 * call of one of its tools, and to nothing else. The secret is never written: not in a record, a message, a metric,
 * or this object's {@code toString}. A secret that cannot be read is said (by where it was looked for) and released
 * nowhere.
 *
 * <p>A redirect must not carry a credential to a host it is not for. The JDK {@code HttpClient} sends a request's
 * headers on to wherever a redirect points (Java 17 even {@code Authorization}; later versions every other header),
 * and its redirects are followed inside the client, where no sensor sees them: a client that follows redirects gets no
 * credential (said once per credential). An {@code HttpURLConnection} that carries one is made not to follow
 * redirects itself: the application sees the redirect, and a connection it opens to follow it is checked, and given
 * credentials, on its own.
 */
public final class ReleasedCredentials implements Credentials {

    /** One credential, ready to add: the header's whole value is made once. */
    private record Ready(String name, List<EgressRule.Host> hosts, List<ToolPattern> tools, String header,
                         String value) {
        @Override
        public String toString() {
            return "credential " + name; // never the value
        }
    }

    private final List<Ready> ready;
    private final Consumer<String> diagnostics;
    /** The credentials withheld from a redirect-following client so far: each is said once. */
    private final java.util.Set<String> withheldSaid = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ReleasedCredentials(List<Ready> ready, Consumer<String> diagnostics) {
        this.ready = ready;
        this.diagnostics = diagnostics;
    }

    /** Reads every configured secret; those that cannot be read are said on {@code diagnostics} and left out. */
    public static Credentials of(List<CredentialSpec> specs, Map<String, String> environment, Consumer<String> diagnostics) {
        if (specs.isEmpty()) {
            return NONE;
        }
        List<Ready> out = new ArrayList<>();
        for (CredentialSpec spec : specs) {
            String secret;
            try {
                secret = spec.secret().read(environment);
            } catch (IOException e) {
                diagnostics.accept("toolguard: credential " + spec.name() + " is released nowhere: " + e.getMessage());
                continue;
            }
            out.add(new Ready(spec.name(), spec.hosts().stream().map(EgressRule.Host::parse).toList(),
                    spec.tools().stream().map(ToolPattern::of).toList(), spec.headerName(),
                    spec.headerValue().replace("{secret}", secret)));
        }
        return new ReleasedCredentials(List.copyOf(out), diagnostics);
    }

    @Override
    public Object release(String sensor, Object self, Object subject, EgressRequest request, String tool) {
        Object current = subject;
        for (Ready c : ready) {
            if (!matches(c, request, tool)) {
                continue;
            }
            if ("http-jdk".equals(sensor) && self instanceof HttpClient client
                    && client.followRedirects() != HttpClient.Redirect.NEVER) {
                if (withheldSaid.add(c.name())) {
                    diagnostics.accept("toolguard: credential " + c.name() + " is not released into requests of an"
                            + " HttpClient that follows redirects (" + client.followRedirects() + "): a redirect"
                            + " would carry it to another host; build the client with followRedirects(NEVER) for"
                            + " those requests (said once)");
                }
                continue;
            }
            current = add(sensor, current, c);
        }
        return current;
    }

    /**
     * Apache HttpClient follows a redirect with a copy of the first request's headers, to another host too (5.5 and
     * later stop only at {@code Authorization} and {@code Cookie}): a redirect that carries a credential's header with
     * its value to a host (or for a tool) the credential is not for must not be sent. The other clients are given no
     * credential they could carry on (see the class comment).
     */
    @Override
    public String carriedAway(String sensor, Object subject, EgressRequest request, String tool) {
        if (!"http-apache5-hop".equals(sensor) && !"http-apache5-async-hop".equals(sensor)) {
            return null;
        }
        for (Ready c : ready) {
            if (!matches(c, request, tool) && carries(subject, c)) {
                return c.name();
            }
        }
        return null;
    }

    /** Whether an Apache HttpClient request has {@code c}'s header with its value; true when that cannot be read. */
    private static boolean carries(Object request, Ready c) {
        try {
            Object[] headers = (Object[]) request.getClass().getMethod("getHeaders", String.class)
                    .invoke(request, c.header());
            for (Object h : headers) {
                if (c.value().equals(h.getClass().getMethod("getValue").invoke(h))) {
                    return true;
                }
            }
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // cannot tell: the stricter answer
        }
    }

    private static boolean matches(Ready c, EgressRequest request, String tool) {
        boolean toolOk = false;
        for (ToolPattern t : c.tools()) {
            toolOk |= t.matches(tool);
        }
        if (!toolOk || request.targets().isEmpty()) {
            return false;
        }
        String host = request.targets().get(0);
        for (EgressRule.Host h : c.hosts()) {
            if (h.name().matches(host) && (h.port() < 0 || h.port() == request.port())) {
                return true;
            }
        }
        return false;
    }

    private static Object add(String sensor, Object subject, Ready c) {
        switch (sensor) {
            case "http-jdk" -> {
                // a copy of the application's request, whose own header of that name (if any) is replaced
                return HttpRequest.newBuilder((HttpRequest) subject, (name, value) -> !name.equalsIgnoreCase(c.header()))
                        .header(c.header(), c.value()).build();
            }
            case "http-url-connection" -> {
                // the JDK hides Authorization from getRequestProperty, so the application cannot read it back
                HttpURLConnection connection = (HttpURLConnection) subject;
                connection.setRequestProperty(c.header(), c.value());
                // a redirect it followed itself would send the header on, to a host the credential is not for
                connection.setInstanceFollowRedirects(false);
                return subject;
            }
            case "http-apache5", "http-apache5-async", "http-apache5-minimal" -> {
                try {
                    // the request itself: the classic client sends it; the async one copies it into the request it
                    // sends after the check, and into each redirect (which the hop's check then looks at)
                    Object request = switch (sensor) {
                        case "http-apache5" -> ((Object[]) subject)[1];
                        case "http-apache5-async" -> ((Object[]) subject)[2];
                        default -> SensedEgress.apache5MinimalRequest(subject);
                    };
                    request.getClass().getMethod("setHeader", String.class, Object.class).invoke(request, c.header(),
                            c.value());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("the credential " + c.name() + " cannot be added to an Apache"
                            + " HttpClient request (" + e.getClass().getSimpleName() + ")");
                }
                return subject;
            }
            default -> {
                return subject; // OkHttp's calls are immutable: released nowhere (docs/egress.md)
            }
        }
    }

    @Override
    public String toString() {
        return "credentials " + ready;
    }
}
