package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls {@code ping(n)} from several threads without pause until it is killed, every call with a new n. The
 * body appends n to a marker file, so a test knows exactly which calls ran. Arguments: marker file, threads,
 * optionally a pause in microseconds between two calls of a thread (to keep the audit log small; 0 for none),
 * and optionally a second marker file, to which a caller appends n once {@code ping(n)} returned to it.
 */
public class PingLoopApp {

    private final FileOutputStream markers;

    PingLoopApp(FileOutputStream markers) {
        this.markers = markers;
    }

    /** Appends one line to a marker file, whole, whichever threads write to it. */
    static void mark(FileOutputStream file, long n) {
        byte[] line = (n + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            synchronized (file) {
                file.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @GuardedTool(name = "ping")
    public long ping(long n) {
        mark(markers, n);
        return n;
    }

    public static void main(String[] args) throws Exception {
        PingLoopApp app = new PingLoopApp(new FileOutputStream(args[0], true));
        int threads = Integer.parseInt(args[1]);
        long pauseNanos = args.length > 2 ? Long.parseLong(args[2]) * 1000L : 0L;
        FileOutputStream returned = args.length > 3 ? new FileOutputStream(args[3], true) : null;
        AtomicLong next = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                while (true) {
                    try {
                        long n = app.ping(next.incrementAndGet());
                        if (returned != null) {
                            mark(returned, n);
                        }
                    } catch (ToolCallDeniedException denied) {
                        // denials are expected in some scenarios; the audit log says which
                    }
                    if (pauseNanos > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
                    }
                }
            }, "caller-" + t);
            thread.start();
        }
        System.out.println("calling from " + threads + " threads");
    }
}
