package dev.toolguard.policy.approval;

import dev.toolguard.policy.values.JsonWriter;
import dev.toolguard.policy.values.Redaction;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs the JSON of every new pending approval to {@code approvals.webhook} (SPEC §2), from one background
 * thread. Deciding only enqueues: the queue is bounded and a full queue drops (and counts) the newest
 * payload, so a dead webhook never slows a call. Failed deliveries are retried with exponential backoff.
 *
 * <p>With a secret ({@code approvals.webhook_secret_env} or {@code _file}), every POST carries
 * {@code X-ToolGuard-Signature: sha256=<hex>}, the HMAC-SHA256 of the exact body bytes under the secret, so a
 * receiver can tell the request came from an agent that knows it (docs/approvals.md shows how to check it).
 */
public final class ApprovalWebhook implements ApprovalNotifier, AutoCloseable {

    /**
     * @param capacity       payloads queued at most
     * @param attempts       tries per payload
     * @param firstBackoff   wait after the first failure; doubled after each further one
     * @param maxBackoff     the longest wait between tries
     * @param requestTimeout connect and response timeout of one try
     */
    public record Settings(int capacity, int attempts, Duration firstBackoff, Duration maxBackoff,
                           Duration requestTimeout) {
        public static final Settings DEFAULT =
                new Settings(1000, 5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    /** The header holding the body's HMAC-SHA256, as {@code sha256=<lowercase hex>}. */
    public static final String SIGNATURE_HEADER = "X-ToolGuard-Signature";

    private final URI target;
    private final SecretKeySpec signingKey;
    /** The target as printed: scheme and host only, since chat webhooks carry their secret in the path or query. */
    private final String shown;
    private final Redaction redaction;
    private final Settings settings;
    private final Consumer<String> diagnostics;
    private final BlockingQueue<byte[]> queue;
    /**
     * Made by the sender thread when it sends the first payload: the JDK's HTTP client looks up the application's
     * {@code System.Logger} backend as it is made, which must not happen at the agent's start (SPEC §1).
     */
    private HttpClient client;
    private final Thread sender;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean closed;

    /**
     * Starts the sender thread (a daemon).
     *
     * @param diagnostics where to say that a payload was dropped or could not be delivered (standard error)
     */
    public ApprovalWebhook(URI target, Redaction redaction, Settings settings, Consumer<String> diagnostics) {
        this(target, null, redaction, settings, diagnostics);
    }

    /**
     * Starts the sender thread (a daemon); every body is signed with {@code secret} (null: unsigned).
     *
     * @param diagnostics where to say that a payload was dropped or could not be delivered (standard error)
     */
    public ApprovalWebhook(URI target, String secret, Redaction redaction, Settings settings,
                           Consumer<String> diagnostics) {
        this.target = target;
        this.signingKey = secret == null ? null : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.shown = shown(target);
        this.redaction = redaction;
        this.settings = settings;
        this.diagnostics = diagnostics;
        this.queue = new ArrayBlockingQueue<>(settings.capacity());
        this.sender = new Thread(this::sendLoop, "toolguard-approval-webhook");
        sender.setDaemon(true);
        sender.start();
    }

    /** Serializes the approval now and queues it; returns at once. */
    @Override
    public void requested(Approval approval) {
        JsonWriter json = new JsonWriter(redaction);
        ApprovalJson.write(json, approval);
        if (closed || !queue.offer(json.toBytes())) {
            long n = dropped.incrementAndGet();
            diagnostics.accept("toolguard: approval webhook queue full, not notifying " + shown + " of approval "
                    + approval.id() + " (" + n + " dropped so far)");
        }
    }

    public long delivered() {
        return delivered.get();
    }

    public long dropped() {
        return dropped.get();
    }

    /** Payloads given up on after every try failed. */
    public long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        closed = true;
        sender.interrupt();
    }

    private void sendLoop() {
        while (!closed) {
            byte[] payload;
            try {
                payload = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (!deliver(payload)) {
                failed.incrementAndGet();
            }
        }
    }

    /** {@code sha256=<hex>} of the HMAC-SHA256 of {@code body} under {@code secret}: what a receiver recomputes. */
    public static String signature(String secret, byte[] body) {
        return signature(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"), body);
    }

    private static String signature(SecretKeySpec key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform has HmacSHA256", e);
        }
    }

    private boolean deliver(byte[] payload) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "ToolGuard");
        if (signingKey != null) {
            builder.header(SIGNATURE_HEADER, signature(signingKey, payload));
        }
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build();
        long backoffNanos = settings.firstBackoff().toNanos();
        String lastProblem = "";
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(settings.requestTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER).build();
                }
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    delivered.incrementAndGet();
                    return true;
                }
                lastProblem = "HTTP " + status;
                if (status / 100 == 4 && status != 408 && status != 429) {
                    break; // the receiver refuses this payload; trying again would not change its mind
                }
            } catch (IOException e) {
                // the JDK's messages may quote the URI: only its scheme and host are shown
                lastProblem = e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage().replace(target.toString(), shown));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (attempt < settings.attempts()) {
                try {
                    TimeUnit.NANOSECONDS.sleep(backoffNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                backoffNanos = Math.min(backoffNanos * 2, settings.maxBackoff().toNanos());
            }
        }
        diagnostics.accept("toolguard: approval webhook " + shown + " failed: " + lastProblem);
        return false;
    }

    /**
     * How a webhook URL is shown on standard error, in logs and in errors: {@code https://hooks.slack.com}, never
     * its user info, port-less path or query, where chat webhooks keep their secret.
     */
    public static String shown(URI target) {
        if (target == null) {
            return "(none)";
        }
        String scheme = target.getScheme() == null ? "?" : target.getScheme();
        String host = target.getHost() == null ? "?" : target.getHost();
        return scheme + "://" + host;
    }
}
