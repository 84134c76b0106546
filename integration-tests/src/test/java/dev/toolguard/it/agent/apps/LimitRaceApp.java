package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Races threads, released together by one latch, at a rate-limited tool and then at a budgeted one, as user u1
 * of tenant acme; counts the bodies that ran and the denials by rule. Then repeats one search in one session
 * and tries another, printing each outcome. Arguments: threads, calls per thread.
 */
public class LimitRaceApp {

    private final AtomicInteger smsSent = new AtomicInteger();
    private final AtomicInteger refunds = new AtomicInteger();

    @GuardedTool(name = "send_sms")
    public void sendSms(String to, String text) {
        smsSent.incrementAndGet();
    }

    @GuardedTool(name = "issue_refund")
    public void issueRefund(String customer_id, double amount) {
        refunds.incrementAndGet();
    }

    @GuardedTool(name = "search.web")
    public String searchWeb(String query) {
        System.out.println("body ran search " + query);
        return "results for " + query;
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int calls = Integer.parseInt(args[1]);
        LimitRaceApp app = new LimitRaceApp();
        race("send_sms", threads, calls, () -> app.sendSms("+33600000000", "hello"), app.smsSent);
        race("issue_refund", threads, calls, () -> app.issueRefund("c1", 30), app.refunds);
        ToolGuard.runAs(Map.of("user.id", "u1", "session.id", "s1"), () -> {
            for (String query : List.of("weather", "weather", "weather", "weather", "news")) {
                try {
                    System.out.println("search " + query + ": ok " + app.searchWeb(query));
                } catch (ToolCallDeniedException e) {
                    System.out.println("search " + query + ": denied rule=" + e.rule() + " message=" + e.getMessage());
                }
            }
        });
        System.out.println("done");
    }

    /** Prints {@code <tool>: bodies=<n> calls=<n> denied={rule=count}}. */
    private static void race(String tool, int threads, int calls, Runnable call, AtomicInteger bodies) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        Map<String, AtomicInteger> denied = new ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> ToolGuard.runAs(Map.of("user.id", "u1", "tenant", "acme"), () -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < calls; i++) {
                    made.incrementAndGet();
                    try {
                        call.run();
                    } catch (ToolCallDeniedException e) {
                        denied.computeIfAbsent(e.rule(), r -> new AtomicInteger()).incrementAndGet();
                    }
                }
            }), tool + "-" + t);
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        Map<String, Integer> byRule = new TreeMap<>();
        denied.forEach((rule, n) -> byRule.put(rule, n.get()));
        System.out.println(tool + ": bodies=" + bodies.get() + " calls=" + made.get() + " denied=" + byRule);
    }
}
