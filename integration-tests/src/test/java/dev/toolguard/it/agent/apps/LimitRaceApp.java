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
 * and tries another, printing each outcome. Then races at limit lists (SPEC §14): {@code read_file} as a background
 * agent's user and as an interactive one, and {@code files.read} and {@code files.write} together under one
 * bundle-level limit per user. Arguments: threads, calls per thread.
 */
public class LimitRaceApp {

    private final AtomicInteger smsSent = new AtomicInteger();
    private final AtomicInteger refunds = new AtomicInteger();
    private final AtomicInteger filesRead = new AtomicInteger();
    private final AtomicInteger fileOps = new AtomicInteger();

    @GuardedTool(name = "read_file")
    public void readFile(String path) {
        filesRead.incrementAndGet();
    }

    @GuardedTool(name = "files.read")
    public void filesRead(String path) {
        fileOps.incrementAndGet();
    }

    @GuardedTool(name = "files.write")
    public void filesWrite(String path) {
        fileOps.incrementAndGet();
    }

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
        race("read_file background", threads, calls, () -> app.readFile("/tmp/a"), app.filesRead,
                Map.of("user.id", "u-bg", "agent.tier", "background"));
        app.filesRead.set(0);
        race("read_file interactive", threads, calls, () -> app.readFile("/tmp/a"), app.filesRead,
                Map.of("user.id", "u-ia", "agent.tier", "interactive"));
        AtomicInteger turn = new AtomicInteger();
        race("files.*", threads, calls, () -> {
            if (turn.incrementAndGet() % 2 == 0) {
                app.filesRead("/tmp/a");
            } else {
                app.filesWrite("/tmp/a");
            }
        }, app.fileOps, Map.of("user.id", "u-x"));
        System.out.println("done");
    }

    /** Prints {@code <tool>: bodies=<n> calls=<n> denied={rule=count}}. */
    private static void race(String tool, int threads, int calls, Runnable call, AtomicInteger bodies) throws Exception {
        race(tool, threads, calls, call, bodies, Map.of("user.id", "u1", "tenant", "acme"));
    }

    private static void race(String tool, int threads, int calls, Runnable call, AtomicInteger bodies,
                             Map<String, ?> context) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger made = new AtomicInteger();
        Map<String, AtomicInteger> denied = new ConcurrentHashMap<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> ToolGuard.runAs(context, () -> {
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
