package dev.toolguard.agent.admin;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server that no client can stall (SPEC §13.12): one request per connection, a deadline for
 * the request head and one for the body, a bound on connections served at once, and size limits on heads and
 * bodies. The JDK's own server reads request heads on its worker threads without a deadline, so a handful of
 * half-sent requests froze it. Requests are handed over as {@link HttpExchange}s, so handlers are the usual ones.
 */
final class BoundedHttpServer implements AutoCloseable {

    /** Answers one request; the exchange is closed by the server afterwards. */
    interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static final int MAX_HEADER_LINES = 100;
    /** After the response, unread request bytes are drained for at most this long so that closing sends no reset. */
    private static final long LINGER_MILLIS = 500;
    private static final int LINGER_BYTES = 256 * 1024;

    private final ServerSocket listener;
    private final AdminLimits limits;
    private volatile Handler handler;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final ScheduledExecutorService reaper;
    /** Connections still waiting for their request head, with when they were accepted: the first to evict. */
    private final Map<Socket, Long> awaitingHead = new ConcurrentHashMap<>();
    private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private final String threadPrefix;

    private BoundedHttpServer(ServerSocket listener, AdminLimits limits, String threadPrefix) {
        this.listener = listener;
        this.limits = limits;
        this.threadPrefix = threadPrefix;
        this.slots = new Semaphore(limits.maxConnections());
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> daemon(r, threadPrefix + count.incrementAndGet()));
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, threadPrefix + "reaper"));
    }

    /** Binds {@code address}; nothing is accepted before {@link #serve}. */
    static BoundedHttpServer bind(InetSocketAddress address, AdminLimits limits, String threadPrefix)
            throws IOException {
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(address, 50);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
        return new BoundedHttpServer(listener, limits, threadPrefix);
    }

    /** Starts accepting on a daemon thread, each request answered by {@code handler}. */
    void serve(Handler handler) {
        this.handler = handler;
        daemon(this::acceptLoop, threadPrefix + "accept").start();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        open.keySet().forEach(BoundedHttpServer::closeQuietly);
        workers.shutdownNow();
        reaper.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (!takeSlot()) {
                refuse(socket);
                continue;
            }
            open.put(socket, Boolean.TRUE);
            awaitingHead.put(socket, System.nanoTime());
            try {
                workers.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                forget(socket);
            }
        }
    }

    /** A free slot, making one by closing the connection that has waited longest for its head if need be. */
    private boolean takeSlot() {
        if (slots.tryAcquire()) {
            return true;
        }
        Optional<Socket> slowest = awaitingHead.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                .map(Map.Entry::getKey);
        slowest.ifPresent(s -> {
            awaitingHead.remove(s);
            closeQuietly(s);
        });
        try {
            // the evicted connection's worker gives its slot back as soon as its read fails
            return slots.tryAcquire(slowest.isPresent() ? 1_000 : 0, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** All slots serve real requests: say so and hang up, rather than queue the newcomer without end. */
    private static void refuse(Socket socket) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            out.write(statusOnly(503, "the admin API is serving as many connections as it may; try again"));
            out.flush();
        } catch (IOException e) {
            // the client is gone already
        }
    }

    private void forget(Socket socket) {
        awaitingHead.remove(socket);
        if (open.remove(socket) != null) {
            slots.release();
        }
        closeQuietly(socket);
    }

    private void serve(Socket socket) {
        ScheduledFuture<?> lifetime = null;
        try {
            // the last word on a connection that will not finish: a blocked write or read fails once it is closed
            lifetime = reaper.schedule(() -> closeQuietly(socket), limits.connectionLifetime().toMillis(),
                    TimeUnit.MILLISECONDS);
            socket.setTcpNoDelay(true);
            DeadlineInput timed = new DeadlineInput(socket, System.nanoTime() + limits.headerTimeout().toNanos());
            BufferedInputStream in = new BufferedInputStream(timed, 4096);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            RequestHead head;
            try {
                head = RequestHead.read(in, limits.maxHeaderBytes());
            } catch (HeadProblem p) {
                out.write(statusOnly(p.status, p.getMessage()));
                out.flush();
                linger(socket, in);
                return;
            }
            awaitingHead.remove(socket);
            timed.deadline(System.nanoTime() + limits.readTimeout().toNanos());
            Optional<String> bodyProblem = head.bodyProblem(limits.maxBodyBytes());
            if (bodyProblem.isPresent()) {
                int status = head.bodyLength() > limits.maxBodyBytes() ? 413 : head.bodyLength() < 0 ? 411 : 400;
                out.write(statusOnly(status, bodyProblem.get()));
                out.flush();
                linger(socket, in);
                return;
            }
            if ("100-continue".equalsIgnoreCase(head.headers().getFirst("Expect")) && head.bodyLength() > 0) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            try (SocketExchange exchange = new SocketExchange(socket, head, new LimitedInput(in, head.bodyLength()), out)) {
                handler.handle(exchange);
            }
            linger(socket, in);
        } catch (SocketTimeoutException e) {
            // too slow: no answer is owed to a client that did not finish its request in time
        } catch (IOException | RuntimeException e) {
            // a broken connection, or one closed by the reaper or by eviction
        } finally {
            if (lifetime != null) {
                lifetime.cancel(false);
            }
            forget(socket);
        }
    }

    /** Half-closes and drains briefly, so that a client's unread request bytes do not turn the close into a reset. */
    private static void linger(Socket socket, InputStream in) {
        try {
            socket.shutdownOutput();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
            byte[] sink = new byte[4096];
            int drained = 0;
            while (drained < LINGER_BYTES) {
                long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                socket.setSoTimeout((int) left);
                int n = in.read(sink);
                if (n < 0) {
                    return;
                }
                drained += n;
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    static byte[] statusOnly(int status, String message) {
        byte[] body = ("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason(status) + "\r\nContent-Type: application/json\r\n"
                + "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        all.writeBytes(body);
        return all.toByteArray();
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status";
        };
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // nothing more to do
        }
    }

    /** A request that cannot be served, with the status that says why. */
    static final class HeadProblem extends IOException {
        final int status;

        HeadProblem(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The request line and headers. */
    record RequestHead(String method, URI uri, String protocol, Headers headers, long bodyLength) {

        /** Reads up to the blank line that ends the head; at most {@code maxBytes} bytes. */
        static RequestHead read(InputStream in, int maxBytes) throws IOException {
            int[] budget = {maxBytes};
            String requestLine = line(in, budget);
            while (requestLine.isEmpty()) {
                requestLine = line(in, budget); // a stray CRLF before the request is allowed (RFC 9112 §2.2)
            }
            String[] parts = requestLine.split(" ", -1);
            if (parts.length != 3 || parts[0].isEmpty() || !parts[0].chars().allMatch(c -> c > 32 && c < 127)) {
                throw new HeadProblem(400, "malformed request line");
            }
            if (!parts[2].startsWith("HTTP/1.")) {
                throw new HeadProblem(505, "only HTTP/1.x is served");
            }
            URI uri;
            try {
                uri = new URI(parts[1]);
            } catch (URISyntaxException e) {
                throw new HeadProblem(400, "malformed request target");
            }
            Headers headers = new Headers();
            for (int lines = 0; ; lines++) {
                String line = line(in, budget);
                if (line.isEmpty()) {
                    break;
                }
                if (lines >= MAX_HEADER_LINES) {
                    throw new HeadProblem(431, "too many request headers");
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t'
                        || line.substring(0, colon).chars().anyMatch(c -> c <= 32 || c >= 127)) {
                    throw new HeadProblem(400, "malformed header line");
                }
                headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
            }
            return new RequestHead(parts[0], uri, parts[2], headers, bodyLength(headers));
        }

        /** The declared body length: 0 without one, -1 when the body is chunked (which is not accepted). */
        private static long bodyLength(Headers headers) throws HeadProblem {
            if (headers.containsKey("Transfer-Encoding")) {
                return -1;
            }
            var lengths = headers.get("Content-Length");
            if (lengths == null) {
                return 0;
            }
            if (lengths.stream().distinct().count() != 1) {
                throw new HeadProblem(400, "conflicting Content-Length headers");
            }
            String text = lengths.get(0);
            if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(Character::isDigit)) {
                throw new HeadProblem(400, "malformed Content-Length");
            }
            return Long.parseLong(text);
        }

        Optional<String> bodyProblem(int maxBodyBytes) {
            if (bodyLength < 0) {
                return Optional.of("request bodies must have a Content-Length (chunked bodies are not accepted)");
            }
            if (bodyLength > maxBodyBytes) {
                return Optional.of("request body too large: " + bodyLength + " bytes, at most " + maxBodyBytes);
            }
            return Optional.empty();
        }

        private static String line(InputStream in, int[] budget) throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the client closed the connection mid-request");
                }
                if (--budget[0] < 0) {
                    throw new HeadProblem(431, "request head too large");
                }
                if (b == '\n') {
                    int end = line.length();
                    return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
                }
                line.append((char) b); // ISO-8859-1, as HTTP heads are
            }
        }
    }

    /** The socket's input, each read bounded by what is left of the current deadline. */
    static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private volatile long deadlineNanos;

        DeadlineInput(Socket socket, long deadlineNanos) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadlineNanos = deadlineNanos;
        }

        void deadline(long nanos) {
            deadlineNanos = nanos;
        }

        private void arm() throws IOException {
            long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        }

        @Override
        public int read() throws IOException {
            arm();
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return in.read(b, off, len);
        }
    }

    /** Exactly the declared body, never more: the handler cannot read past the request. */
    static final class LimitedInput extends InputStream {
        private final InputStream in;
        private long left;

        LimitedInput(InputStream in, long length) {
            this.in = in;
            this.left = Math.max(0, length);
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed the connection mid-body");
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException("the client closed the connection mid-body");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() {
            // the socket is closed by the server
        }
    }

    /** One request and its response on a connection that closes afterwards. */
    static final class SocketExchange extends HttpExchange {
        private final Socket socket;
        private final RequestHead head;
        private final Headers responseHeaders = new Headers();
        private final Map<String, Object> attributes = new ConcurrentHashMap<>();
        private InputStream body;
        private OutputStream out;
        private OutputStream responseBody;
        private int responseCode = -1;

        SocketExchange(Socket socket, RequestHead head, InputStream body, OutputStream out) {
            this.socket = socket;
            this.head = head;
            this.body = body;
            this.out = out;
        }

        @Override
        public Headers getRequestHeaders() {
            return head.headers();
        }

        @Override
        public Headers getResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public URI getRequestURI() {
            return head.uri();
        }

        @Override
        public String getRequestMethod() {
            return head.method();
        }

        @Override
        public com.sun.net.httpserver.HttpContext getHttpContext() {
            return null;
        }

        @Override
        public void close() {
            try {
                if (responseCode < 0) {
                    sendResponseHeaders(500, -1);
                }
                if (responseBody != null) {
                    responseBody.close();
                }
                out.flush();
            } catch (IOException e) {
                // the client is gone; the server closes the socket
            }
        }

        @Override
        public InputStream getRequestBody() {
            return body;
        }

        @Override
        public OutputStream getResponseBody() {
            if (responseBody == null) {
                throw new IllegalStateException("sendResponseHeaders first");
            }
            return responseBody;
        }

        @Override
        public void sendResponseHeaders(int code, long length) throws IOException {
            if (responseCode >= 0) {
                throw new IOException("headers already sent");
            }
            responseCode = code;
            boolean noBody = length < 0 || head.method().equalsIgnoreCase("HEAD") || code == 204 || code == 304;
            StringBuilder text = new StringBuilder(256).append("HTTP/1.1 ").append(code).append(' ')
                    .append(reason(code)).append("\r\n");
            responseHeaders.remove("Content-Length");
            responseHeaders.remove("Transfer-Encoding");
            responseHeaders.set("Connection", "close");
            if (length > 0) {
                responseHeaders.set("Content-Length", Long.toString(length));
            } else if (length < 0) {
                responseHeaders.set("Content-Length", "0");
            } else if (!noBody) {
                responseHeaders.set("Transfer-Encoding", "chunked");
            }
            responseHeaders.forEach((name, values) -> values.forEach(v -> {
                String clean = v.replace('\r', ' ').replace('\n', ' ');
                text.append(name).append(": ").append(clean).append("\r\n");
            }));
            text.append("\r\n");
            out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
            responseBody = noBody ? OutputStream.nullOutputStream()
                    : length == 0 ? new ChunkedOutput(out) : new FixedOutput(out, length);
        }

        @Override
        public InetSocketAddress getRemoteAddress() {
            return (InetSocketAddress) socket.getRemoteSocketAddress();
        }

        @Override
        public int getResponseCode() {
            return responseCode;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        @Override
        public String getProtocol() {
            return head.protocol();
        }

        @Override
        public Object getAttribute(String name) {
            return attributes.get(name);
        }

        @Override
        public void setAttribute(String name, Object value) {
            if (value == null) {
                attributes.remove(name);
            } else {
                attributes.put(name, value);
            }
        }

        @Override
        public void setStreams(InputStream i, OutputStream o) {
            if (i != null) {
                body = i;
            }
            if (o != null) {
                out = o;
            }
        }

        @Override
        public com.sun.net.httpserver.HttpPrincipal getPrincipal() {
            return null;
        }
    }

    /** A body of the length announced; writing more is a bug of the handler. */
    private static final class FixedOutput extends OutputStream {
        private final OutputStream out;
        private long left;

        FixedOutput(OutputStream out, long length) {
            this.out = out;
            this.left = length;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > left) {
                throw new IOException("response body longer than its Content-Length");
            }
            out.write(b, off, len);
            left -= len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** A body of unknown length, sent in chunks and ended by the last, empty one on close. */
    private static final class ChunkedOutput extends OutputStream {
        private final OutputStream out;
        private boolean closed;

        ChunkedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b, off, len);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
    }
}
