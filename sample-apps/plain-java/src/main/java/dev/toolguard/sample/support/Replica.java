package dev.toolguard.sample.support;

import dev.toolguard.api.ToolGuard;
import dev.toolguard.sample.support.legacy.CrmClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The support agent as one replica of a service (see {@code sample-apps/fleet}): instead of playing a script, it
 * takes proposed calls from standard input, one a line, and prints each outcome when the call returns. Calls run
 * side by side, so that a call waiting for an approval does not hold up the others.
 *
 * <pre>
 * label user tool name=value ...     e.g.  c1 bob issue_refund customer_id=c-9 amount=3000 reason=penalty
 * label: ok: result                  or    label: tool error: the denial as the model reads it
 * </pre>
 * The users are the script's ({@code alice}: support_l1, {@code bob}: manager). Numbers are passed as numbers.
 */
final class Replica {

    private Replica() {
    }

    static void serve() throws Exception {
        ToolBox tools = new ToolBox(new SupportTools(), new CrmClient());
        Map<String, SupportAgent.User> users = new LinkedHashMap<>();
        SupportAgent.users().forEach(u -> users.put(u.id(), u));
        ExecutorService calls = Executors.newCachedThreadPool();
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
            String[] words = line.trim().split(" +");
            if (words.length < 3) {
                say(line + ": expected: label user tool name=value ...");
                continue;
            }
            SupportAgent.User user = users.get(words[1]);
            if (user == null) {
                say(words[0] + ": no user " + words[1] + " (the users are " + users.keySet() + ")");
                continue;
            }
            Map<String, Object> args = new LinkedHashMap<>();
            for (int i = 3; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                String value = words[i].substring(eq + 1);
                args.put(words[i].substring(0, eq), value.matches("-?\\d+(\\.\\d+)?") ? Double.valueOf(value) : value);
            }
            ProposedCall call = new ProposedCall(words[2], args);
            calls.submit(() -> ToolGuard.runAs(SupportAgent.contextOf(user),
                    () -> say(words[0] + ": " + SupportAgent.outcome(tools, call))));
        }
        calls.shutdown();
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
