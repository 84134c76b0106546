package dev.toolguard.policy.egress;

import dev.toolguard.policy.load.ToolPattern;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What one tool may do of one egress kind: {@code allow}, {@code deny}, or a map of constraints, each of which an
 * egress must meet (SPEC §18). An absent constraint does not restrict; a constraint written as an empty list allows
 * nothing. Patterns are lower case (methods upper case) once compiled, as the sensors report their values.
 *
 * @param statements sql: statement kinds allowed, or null
 * @param tables     sql: {@code schema.table} globs, or null
 * @param hosts      http: host globs, each with the port it pins ({@code -1}: any), or null
 * @param methods    http: methods allowed, or null
 * @param recipients mail: address globs every recipient must match, or null
 * @param commands   exec: programs (names or globs) a process may be started with, or null
 */
public record EgressRule(EgressKind kind, Mode mode, Set<String> statements, List<ToolPattern> tables,
                         List<Host> hosts, Set<String> methods, List<ToolPattern> recipients,
                         List<ToolPattern> commands) {

    /** How the kind is written under the tool's {@code egress}. */
    public enum Mode { ALLOW, DENY, CONSTRAINED }

    /** A host glob and the port it pins ({@code -1}: any port). */
    public record Host(ToolPattern name, int port) {

        /** {@code crm.internal}, {@code *.partner.example}, {@code crm.internal:8443}, {@code [::1]:8080}. */
        public static Host parse(String written) {
            String text = written.toLowerCase(Locale.ROOT);
            int colon = text.lastIndexOf(':');
            boolean bracketed = text.startsWith("[");
            if (colon > 0 && (bracketed ? text.charAt(colon - 1) == ']' : text.indexOf(':') == colon)) {
                String port = text.substring(colon + 1);
                if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(Character::isDigit)) {
                    String host = text.substring(0, colon);
                    return new Host(ToolPattern.of(strip(host)), Integer.parseInt(port));
                }
            }
            return new Host(ToolPattern.of(strip(text)), -1);
        }

        private static String strip(String host) {
            return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        }

        boolean matches(String host, int port) {
            return name.matches(host) && (this.port < 0 || this.port == port);
        }

        @Override
        public String toString() {
            return name.pattern() + (port < 0 ? "" : ":" + port);
        }
    }

    public static EgressRule allow(EgressKind kind) {
        return new EgressRule(kind, Mode.ALLOW, null, null, null, null, null, null);
    }

    public static EgressRule deny(EgressKind kind) {
        return new EgressRule(kind, Mode.DENY, null, null, null, null, null, null);
    }

    /**
     * Why {@code request} breaks a constraint of this rule, or null when it meets them all. Allocates nothing when it
     * meets them.
     */
    public String violation(EgressRequest request) {
        if (mode == Mode.ALLOW) {
            return null;
        }
        if (mode == Mode.DENY) {
            return kind.key() + " is deny";
        }
        if (request.problem() != null) {
            return "the " + kind.key() + " cannot be read (" + request.problem() + "), and " + kind.key()
                    + " is restricted";
        }
        return switch (kind) {
            case SQL -> sqlViolation(request);
            case HTTP -> httpViolation(request);
            case MAIL -> allMatch("recipient", request.targets(), recipients);
            case EXEC -> allMatch("command", request.targets(), commands);
        };
    }

    private String sqlViolation(EgressRequest request) {
        if (statements != null) {
            List<String> kinds = request.actions();
            for (int i = 0; i < kinds.size(); i++) {
                if (!statements.contains(kinds.get(i))) {
                    return "statement " + kinds.get(i) + " is not among " + sorted(statements);
                }
            }
        }
        return allMatch("table", request.targets(), tables);
    }

    private String httpViolation(EgressRequest request) {
        String method = request.actions().isEmpty() ? null : request.actions().get(0);
        if (methods != null && (method == null || !methods.contains(method))) {
            return "method " + method + " is not among " + sorted(methods);
        }
        if (hosts != null) {
            String host = request.targets().isEmpty() ? null : request.targets().get(0);
            for (int i = 0; i < hosts.size(); i++) {
                if (host != null && hosts.get(i).matches(host, request.port())) {
                    return null;
                }
            }
            return "host " + host + (request.port() < 0 ? "" : ":" + request.port()) + " is not among " + hosts;
        }
        return null;
    }

    /** Every value must match one of the globs (none given: no constraint). */
    private static String allMatch(String what, List<String> values, List<ToolPattern> globs) {
        if (globs == null) {
            return null;
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            boolean ok = false;
            for (int j = 0; j < globs.size() && !ok; j++) {
                ok = globs.get(j).matches(v);
            }
            if (!ok) {
                return what + " " + v + " is not among " + globs;
            }
        }
        return null;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
