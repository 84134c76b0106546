package dev.toolguard.it.adversarial.apps;

import dev.toolguard.api.GuardedTool;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;

/**
 * Attack: call a guarded tool from a thread other than the one that started the work, hoping the guard only
 * watches the caller's thread: from {@code CompletableFuture.supplyAsync}, from a task in a
 * {@code ForkJoinPool}, and from a virtual thread. The tool ({@code wipe} or {@code ping}) is the argument.
 * Each outcome line ends with {@code caller=<kind of thread>}, so a test sees the call really left main;
 * without virtual threads (Java 17) the app prints {@code virtual-thread: unsupported}.
 */
public final class ThreadsApp {

    public static class Tools {
        @GuardedTool(name = "wipe")
        public String wipe(String path) {
            System.out.println("body ran wipe " + path);
            return "wipe done " + path;
        }

        @GuardedTool(name = "ping")
        public String ping(String path) {
            System.out.println("body ran ping " + path);
            return "ping done " + path;
        }

        String call(String tool, String path) {
            return tool.equals("wipe") ? wipe(path) : ping(path);
        }
    }

    public static void main(String[] args) throws Exception {
        String tool = args[0];
        Tools tools = new Tools();

        // the caller is main, which sees what join() makes of the supplier's exception
        CompletableFuture<String> future = CompletableFuture.supplyAsync(() -> tools.call(tool, "supply-async")
                + " on " + kindOfThread());
        System.out.println("supply-async: " + Report.outcome(future::join) + " caller=" + kindOfThread());

        // the caller is the task, run by a pool worker; main waits for the pool, never helping with the task
        ForkJoinPool pool = new ForkJoinPool(2);
        pool.execute(ForkJoinTask.adapt(() -> System.out.println("fork-join: "
                + Report.outcome(() -> tools.call(tool, "fork-join")) + " caller=" + kindOfThread())));
        pool.shutdown();
        if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
            System.out.println("fork-join: did not end");
        }

        Method ofVirtual;
        try {
            ofVirtual = Thread.class.getMethod("ofVirtual");
        } catch (NoSuchMethodException beforeJava21) {
            System.out.println("virtual-thread: unsupported");
            System.out.println("done");
            return;
        }
        // Thread.ofVirtual().start(task), written reflectively: the app is compiled for Java 17
        Object builder = ofVirtual.invoke(null);
        Runnable task = () -> System.out.println("virtual-thread: "
                + Report.outcome(() -> tools.call(tool, "virtual-thread")) + " caller=" + kindOfThread());
        Thread virtual = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                .invoke(builder, task);
        virtual.join();
        System.out.println("done");
    }

    static String kindOfThread() {
        Thread t = Thread.currentThread();
        if (t instanceof ForkJoinWorkerThread) {
            return "fork-join-worker";
        }
        try {
            if ((Boolean) Thread.class.getMethod("isVirtual").invoke(t)) {
                return "virtual";
            }
        } catch (ReflectiveOperationException beforeJava21) {
            // no virtual threads: it is a platform thread
        }
        return t.getName().equals("main") ? "main" : "platform";
    }
}
