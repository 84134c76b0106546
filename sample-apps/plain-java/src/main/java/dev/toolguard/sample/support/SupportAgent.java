package dev.toolguard.sample.support;

import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;
import dev.toolguard.sample.support.legacy.CrmClient;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A support agent whose "model" is a fixed script of proposed tool calls for two users with different roles.
 * Each call is printed with its outcome: the tool's result, or the denial text exactly as the model would
 * read it. Run it with and without {@code -javaagent:toolguard-agent.jar} to see the difference.
 * With {@code --repeat <seconds>} it plays the script again and again, to watch a policy change take effect;
 * with {@code --serve} it takes its calls from standard input instead, as one replica of a fleet ({@link Replica}).
 */
public final class SupportAgent {

    /** Who is talking to the agent: what the application knows about its caller. */
    record User(String id, String email, List<String> roles, String session, List<ProposedCall> script) {
    }

    private SupportAgent() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--serve")) {
            Replica.serve();
            return;
        }
        long repeatSeconds = args.length == 2 && args[0].equals("--repeat") ? Long.parseLong(args[1]) : 0;
        do {
            playScript();
            if (repeatSeconds > 0) {
                Thread.sleep(repeatSeconds * 1000);
            }
        } while (repeatSeconds > 0);
    }

    private static void playScript() throws Exception {
        ToolBox tools = new ToolBox(new SupportTools(), new CrmClient());
        for (User user : users()) {
            System.out.println();
            System.out.println("== " + user.id() + " (" + String.join(", ", user.roles()) + ")");
            // the application tells ToolGuard who is calling; every tool call on this thread is decided for them
            ToolGuard.runAs(contextOf(user), () -> {
                for (ProposedCall call : user.script()) {
                    System.out.println(user.id() + "> " + call.tool() + " " + new TreeMap<>(call.arguments()));
                    System.out.println("   " + outcome(tools, call));
                }
            });
        }
    }

    /** What the application knows about its caller, as it tells ToolGuard. */
    static Map<String, Object> contextOf(User user) {
        return Map.of("user.id", user.id(), "user.email", user.email(), "user.roles", user.roles(), "tenant", "acme",
                "session.id", user.session());
    }

    static String outcome(ToolBox tools, ProposedCall call) {
        try {
            return "ok: " + tools.call(call);
        } catch (ToolCallDeniedException denied) {
            return "tool error: " + denied.getMessage();
        } catch (RuntimeException failed) {
            return "tool error: " + failed.getMessage();
        }
    }

    static List<User> users() {
        return List.of(
                new User("alice", "alice@acme.example", List.of("support_l1"), "s-alice-1", List.of(
                        call("issue_refund", "customer_id", "c-1001", "amount", 150, "reason", "damaged item"),
                        call("issue_refund", "customer_id", "c-1002", "amount", 900, "reason", "goodwill"),
                        call("reset_password", "email", "alice@acme.example"),
                        call("reset_password", "email", "mallory@evil.example"),
                        call("crm.read_account", "account_id", "acct-42"),
                        call("email.send_external", "to", "friend@gmail.example", "subject", "hi", "body", "hello"),
                        call("delete_database", "name", "customers"))),
                new User("bob", "bob@acme.example", List.of("manager"), "s-bob-1", List.of(
                        call("crm.update_account", "account_id", "acct-77", "field", "tier", "value", "platinum"),
                        call("email.send_external", "to", "partner@initech.example", "subject", "renewal", "body", "see you"),
                        call("crm.read_account", "account_id", "acct-42"),
                        call("email.send_external", "to", "partner@initech.example", "subject", "accounts", "body", "Globex: silver"),
                        call("issue_refund", "customer_id", "c-2001", "amount", 3000, "reason", "contract penalty"),
                        call("reset_password", "email", "bob@acme.example"))));
    }

    private static ProposedCall call(String tool, Object... nameValues) {
        Map<String, Object> args = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            args.put((String) nameValues[i], nameValues[i + 1]);
        }
        return new ProposedCall(tool, args);
    }
}
