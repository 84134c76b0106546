package dev.toolguard.it.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A real HTTP(S) server of one policy directory under {@code /bundle/}, as a CDN would serve it: each file
 * with a strong {@code ETag} (its sha256), answering {@code If-None-Match} with 304. What it serves is
 * swapped whole ({@link #publish}), so the agent never sees half a release. It counts what it was asked and what it
 * answered, and can hold its answers back until the test lets them go ({@link #holdAnswers}), as a slow source would.
 */
final class BundleServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicReference<Map<String, byte[]>> files = new AtomicReference<>(Map.of());
    private final Map<String, AtomicInteger> answered = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
    private final AtomicReference<java.util.concurrent.CountDownLatch> held =
            new AtomicReference<>(new java.util.concurrent.CountDownLatch(0));

    private BundleServer(HttpServer server) {
        this.server = server;
        server.createContext("/bundle/", this::serve);
        server.start();
    }

    static BundleServer http() throws IOException {
        return new BundleServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    static BundleServer https(SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new BundleServer(s);
    }

    /** The directory's URL, ending in a slash. */
    String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/bundle/";
    }

    /** Serves exactly the regular files of {@code dir} from now on. */
    void publish(Path dir) throws IOException {
        Map<String, byte[]> next = new TreeMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(Files::isRegularFile).toList()) {
                next.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        files.set(Map.copyOf(next));
    }

    /** From now on each request waits, unanswered, until {@link #releaseAnswers()} (or {@link #close()}). */
    void holdAnswers() {
        held.set(new java.util.concurrent.CountDownLatch(1));
    }

    /** Answers the requests held back, and every one after. */
    void releaseAnswers() {
        held.get().countDown();
    }

    /** How many requests for {@code name} arrived, answered or not yet. */
    int asked(String name) {
        AtomicInteger n = asked.get(name);
        return n == null ? 0 : n.get();
    }

    /** How many times {@code name} was answered with {@code status}. */
    int answered(String name, int status) {
        AtomicInteger n = answered.get(name + " " + status);
        return n == null ? 0 : n.get();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring("/bundle/".length());
            asked.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
            try {
                held.get().await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            byte[] body = files.get().get(name);
            int status;
            if (body == null) {
                status = 404;
                exchange.sendResponseHeaders(404, -1);
            } else {
                String etag = "\"" + sha256(body) + "\"";
                exchange.getResponseHeaders().set("ETag", etag);
                if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    status = 304;
                    exchange.sendResponseHeaders(304, -1);
                } else {
                    status = 200;
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            }
            answered.computeIfAbsent(name + " " + status, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        releaseAnswers(); // a handler still holding an answer would keep stop() waiting for it
        server.stop(0);
    }
}
