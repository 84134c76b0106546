package dev.toolguard.policy.egress;

import java.util.List;

/**
 * One egress as a sensor saw it, in plain values: what the policy's {@code egress} rules are checked against.
 *
 * <ul>
 *   <li>{@code sql}: {@code actions} are the statement kinds ({@code select}, {@code update}, ...) of every statement
 *   in the text, {@code targets} the tables they name as {@code schema.table}, lower case;</li>
 *   <li>{@code http}: {@code actions} is the method (upper case), {@code targets} the host (lower case),
 *   {@code port} the port the request goes to;</li>
 *   <li>{@code mail}: {@code targets} are the To, Cc and Bcc addresses (lower case);</li>
 *   <li>{@code exec}: {@code targets} is the program as the process was started with it.</li>
 * </ul>
 *
 * @param problem non-null when the sensor could not read the egress (SQL that does not parse): then it is refused
 *                wherever its kind is restricted
 */
public record EgressRequest(EgressKind kind, List<String> actions, List<String> targets, int port, String problem) {

    public static EgressRequest sql(List<String> statements, List<String> tables) {
        return new EgressRequest(EgressKind.SQL, statements, tables, -1, null);
    }

    /** SQL that could not be read; {@code problem} says why. */
    public static EgressRequest unreadableSql(String problem) {
        return new EgressRequest(EgressKind.SQL, List.of(), List.of(), -1, problem);
    }

    public static EgressRequest http(String method, String host, int port) {
        return new EgressRequest(EgressKind.HTTP, List.of(method), List.of(host), port, null);
    }

    public static EgressRequest mail(List<String> recipients) {
        return new EgressRequest(EgressKind.MAIL, List.of(), recipients, -1, null);
    }

    public static EgressRequest exec(String command) {
        return new EgressRequest(EgressKind.EXEC, List.of(), List.of(command), -1, null);
    }

    /** Any egress of {@code kind} that could not be read at all. */
    public static EgressRequest unreadable(EgressKind kind, String problem) {
        return new EgressRequest(kind, List.of(), List.of(), -1, problem);
    }

    /** What the audit record's {@code target} says: {@code POST crm.internal:443}, {@code update crm.accounts}. */
    public String describe() {
        if (problem != null) {
            return "(unreadable: " + problem + ")";
        }
        return switch (kind) {
            case SQL -> String.join(",", actions) + (targets.isEmpty() ? "" : " " + String.join(",", targets));
            case HTTP -> actions.get(0) + " " + targets.get(0) + (port < 0 ? "" : ":" + port);
            case MAIL, EXEC -> String.join(",", targets);
        };
    }
}
