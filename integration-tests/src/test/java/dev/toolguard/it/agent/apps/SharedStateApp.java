package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Takes its calls from standard input, one line each: {@code <tool> <session> <count>} makes that many calls as
 * user u1 in that session and prints {@code <tool> <session>: allowed=<n> denied={rule=count}}. Prints
 * {@code ready} first; ends at {@code quit} or the end of its input.
 */
public class SharedStateApp {

    @GuardedTool(name = "send_sms")
    public void sendSms() {
    }

    @GuardedTool(name = "crm.read_contact")
    public void readContact() {
    }

    @GuardedTool(name = "email.send_external")
    public void sendEmail() {
    }

    @GuardedTool(name = "lookup")
    public void lookup() {
    }

    public static void main(String[] args) throws Exception {
        SharedStateApp app = new SharedStateApp();
        Map<String, Runnable> tools = Map.of("send_sms", app::sendSms, "crm.read_contact", app::readContact,
                "email.send_external", app::sendEmail, "lookup", app::lookup);
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("quit")) {
                break;
            }
            String[] words = line.trim().split(" ");
            Runnable tool = tools.get(words[0]);
            int count = Integer.parseInt(words[2]);
            int[] allowed = {0};
            Map<String, Integer> denied = new TreeMap<>();
            ToolGuard.runAs(Map.of("user.id", "u1", "session.id", words[1]), () -> {
                for (int i = 0; i < count; i++) {
                    try {
                        tool.run();
                        allowed[0]++;
                    } catch (ToolCallDeniedException e) {
                        denied.merge(e.rule(), 1, Integer::sum);
                    }
                }
            });
            System.out.println(words[0] + " " + words[1] + ": allowed=" + allowed[0] + " denied=" + denied);
        }
    }
}
