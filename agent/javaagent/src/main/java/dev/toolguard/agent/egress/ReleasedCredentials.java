package dev.toolguard.agent.egress;

import dev.toolguard.agent.config.CredentialSpec;
import dev.toolguard.policy.egress.EgressRequest;
import dev.toolguard.policy.egress.EgressRule;
import dev.toolguard.policy.load.ToolPattern;

import java.io.IOException;
import java.net.HttpURLConnection;
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

    private ReleasedCredentials(List<Ready> ready) {
        this.ready = ready;
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
        return new ReleasedCredentials(List.copyOf(out));
    }

    @Override
    public Object release(String sensor, Object subject, EgressRequest request, String tool) {
        Object current = subject;
        for (Ready c : ready) {
            if (!matches(c, request, tool)) {
                continue;
            }
            current = add(sensor, current, c);
        }
        return current;
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
                ((HttpURLConnection) subject).setRequestProperty(c.header(), c.value());
                return subject;
            }
            case "http-apache5" -> {
                Object[] args = (Object[]) subject;
                try {
                    args[1].getClass().getMethod("setHeader", String.class, Object.class).invoke(args[1], c.header(),
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
