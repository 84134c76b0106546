package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Tools whose bodies reach out through JDBC, four HTTP clients, two mail APIs and child processes, as the test asks
 * on standard input, one line per call: {@code <label> <session> <tool or -> <op> <argument...>}. A tool of {@code -}
 * does the same outside any guarded call. Ops: {@code sql <text>} (Statement), {@code psql <text>}
 * (PreparedStatement), {@code acme|pacme <text>} (the same through the driver {@code acme.db}, whose classes are
 * {@code Stmt}, {@code Prep} and {@code Conn}, in a child class loader), {@code jdk|jdk-follow|jdk-follow-async|url|apache|apache-async|apache-minimal|apache-lease|okhttp|okhttp-async
 * <METHOD> <url>}
 * ({@code jdk-follow}: a client that follows redirects; {@code -async}: sent with {@code sendAsync}, {@code enqueue},
 * Apache HttpClient's async client; {@code apache-minimal}: its minimal async client; {@code apache-lease}: an endpoint leased from that
 * one), {@code jakarta|javax <recipient>} (the static
 * {@code Transport.send}), {@code jakarta-transport <recipient>} ({@code sendMessage} on a transport the tool gets),
 * {@code javax-held <recipient>} ({@code sendMessage} on a transport made at start, outside any call),
 * {@code exec <program>}. Prints {@code call <label>: ok <result>}, {@code call <label>: denied rule=<rule>
 * message=<message>} or {@code call <label>: error <what>}. Args: the JDBC URL, the SMTP port.
 */
public class EgressApp {

    static String jdbcUrl;
    static int smtpPort;

    @GuardedTool(name = "crm.read_account")
    public String crmReadAccount(String op, String argument) throws Exception {
        return perform(op, argument);
    }

    @GuardedTool(name = "email.send_external")
    public String sendExternal(String op, String argument) throws Exception {
        return perform(op, argument);
    }

    @GuardedTool(name = "report.export")
    public String reportExport(String op, String argument) throws Exception {
        return perform(op, argument);
    }

    @GuardedTool(name = "crm.sync")
    public String crmSync(String op, String argument) throws Exception {
        return perform(op, argument);
    }

    @GuardedTool(name = "ledger.push")
    public String ledgerPush(String op, String argument) throws Exception {
        return perform(op, argument);
    }

    @GuardedTool(name = "ledger.sync")
    public String ledgerSync(String op, String argument) throws Exception {
        return perform(op, argument);
    }

    @GuardedTool(name = "ops.inspect")
    public String opsInspect(String op, String argument) throws Exception {
        return perform(op, argument);
    }

    static String perform(String op, String argument) throws Exception {
        String[] w = argument.split(" ", 2);
        return switch (op) {
            case "sql" -> {
                try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", ""); Statement s = c.createStatement()) {
                    boolean rows = s.execute(argument);
                    yield rows ? "rows" : "updated " + s.getUpdateCount();
                }
            }
            case "psql" -> {
                try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", "");
                     PreparedStatement s = c.prepareStatement(argument)) {
                    yield s.execute() ? "rows" : "updated " + s.getUpdateCount();
                }
            }
            case "acme" -> {
                try (Connection c = acmeConnection(); Statement s = c.createStatement()) {
                    boolean rows = s.execute(argument);
                    yield rows ? "rows" : "updated " + s.getUpdateCount();
                }
            }
            case "pacme" -> {
                try (Connection c = acmeConnection(); PreparedStatement s = c.prepareStatement(argument)) {
                    yield s.execute() ? "rows" : "updated " + s.getUpdateCount();
                }
            }
            case "jdk", "jdk-follow", "jdk-follow-async" -> {
                HttpRequest r = HttpRequest.newBuilder(URI.create(w[1]))
                        .method(w[0], HttpRequest.BodyPublishers.ofString("rows")).build();
                HttpClient client = op.equals("jdk") ? HttpClient.newHttpClient()
                        : HttpClient.newBuilder().followRedirects(HttpClient.Redirect.ALWAYS).build();
                // sendAsync: the client follows the redirect on its own threads
                HttpResponse<String> response = op.equals("jdk-follow-async")
                        ? client.sendAsync(r, HttpResponse.BodyHandlers.ofString()).get()
                        : client.send(r, HttpResponse.BodyHandlers.ofString());
                yield "status " + response.statusCode() + " " + response.body();
            }
            case "url" -> {
                HttpURLConnection c = (HttpURLConnection) URI.create(w[1]).toURL().openConnection();
                c.setRequestMethod(w[0]);
                if (!w[0].equals("GET")) {
                    c.setDoOutput(true);
                    try (OutputStream out = c.getOutputStream()) {
                        out.write("rows".getBytes(StandardCharsets.UTF_8));
                    }
                }
                try (InputStream in = c.getInputStream()) {
                    yield "status " + c.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            case "apache" -> {
                try (var client = org.apache.hc.client5.http.impl.classic.HttpClients.createDefault()) {
                    var request = new org.apache.hc.core5.http.message.BasicClassicHttpRequest(w[0], URI.create(w[1]));
                    request.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity("rows"));
                    yield client.execute(request, response -> "status " + response.getCode() + " "
                            + org.apache.hc.core5.http.io.entity.EntityUtils.toString(response.getEntity()));
                }
            }
            case "apache-async", "apache-minimal" -> {
                var client = op.equals("apache-async")
                        ? org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault()
                        : org.apache.hc.client5.http.impl.async.HttpAsyncClients.createMinimal();
                try {
                    client.start();
                    var request = org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.create(w[0]).setUri(w[1]);
                    if (!w[0].equals("GET")) {
                        request.setBody("rows", org.apache.hc.core5.http.ContentType.TEXT_PLAIN);
                    }
                    // a refused request is thrown by execute; a refused redirect fails the future
                    var response = client.execute(request.build(), null).get();
                    yield "status " + response.getCode() + " " + response.getBodyText();
                } finally {
                    client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
                }
            }
            case "apache-lease" -> {
                // an endpoint leased from the minimal async client, which sends past the client's execute
                var client = org.apache.hc.client5.http.impl.async.HttpAsyncClients.createMinimal();
                try {
                    client.start();
                    URI uri = URI.create(w[1]);
                    var endpoint = client.lease(new org.apache.hc.core5.http.HttpHost(uri.getScheme(), uri.getHost(),
                            uri.getPort()), null).get();
                    try {
                        var response = endpoint.execute(org.apache.hc.client5.http.async.methods.SimpleRequestProducer
                                        .create(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.create(w[0])
                                                .setUri(uri).build()),
                                org.apache.hc.client5.http.async.methods.SimpleResponseConsumer.create(), null).get();
                        yield "status " + response.getCode() + " " + response.getBodyText();
                    } finally {
                        endpoint.releaseAndDiscard();
                    }
                } finally {
                    client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
                }
            }
            case "okhttp" -> {
                okhttp3.OkHttpClient client = new okhttp3.OkHttpClient();
                okhttp3.Request request = new okhttp3.Request.Builder().url(w[1])
                        .method(w[0], w[0].equals("GET") ? null : okhttp3.RequestBody.create("rows", null)).build();
                try (okhttp3.Response response = client.newCall(request).execute()) {
                    yield "status " + response.code() + " " + response.body().string();
                }
            }
            case "okhttp-async" -> {
                // enqueue: the dispatcher's thread runs the call and follows its redirects
                okhttp3.OkHttpClient client = new okhttp3.OkHttpClient();
                okhttp3.Request request = new okhttp3.Request.Builder().url(w[1])
                        .method(w[0], w[0].equals("GET") ? null : okhttp3.RequestBody.create("rows", null)).build();
                java.util.concurrent.CompletableFuture<String> done = new java.util.concurrent.CompletableFuture<>();
                client.newCall(request).enqueue(new okhttp3.Callback() {
                    @Override
                    public void onFailure(okhttp3.Call call, java.io.IOException e) {
                        done.completeExceptionally(e);
                    }

                    @Override
                    public void onResponse(okhttp3.Call call, okhttp3.Response response) throws java.io.IOException {
                        try (response) {
                            done.complete("status " + response.code() + " " + response.body().string());
                        }
                    }
                });
                yield done.get();
            }
            case "jakarta" -> {
                jakarta.mail.Transport.send(jakartaMessage(jakarta.mail.Session.getInstance(smtp()), argument));
                yield "sent to " + argument;
            }
            case "javax" -> {
                javax.mail.Transport.send(javaxMessage(javax.mail.Session.getInstance(smtp()), argument));
                yield "sent to " + argument;
            }
            case "jakarta-transport" -> {
                // a transport the tool gets and connects itself: sendMessage, never the static send
                jakarta.mail.Session session = jakarta.mail.Session.getInstance(smtp());
                jakarta.mail.internet.MimeMessage m = jakartaMessage(session, argument);
                try (jakarta.mail.Transport t = session.getTransport("smtp")) {
                    t.connect();
                    t.sendMessage(m, m.getAllRecipients());
                }
                yield "sent to " + argument;
            }
            case "javax-held" -> {
                // the transport made at start, outside any call
                javax.mail.internet.MimeMessage m = javaxMessage(heldSession, argument);
                synchronized (heldTransport) {
                    heldTransport.connect();
                    try {
                        heldTransport.sendMessage(m, m.getAllRecipients());
                    } finally {
                        heldTransport.close();
                    }
                }
                yield "sent to " + argument;
            }
            case "exec" -> {
                Process p = new ProcessBuilder(argument.split(" ")).redirectErrorStream(true).start();
                yield "exit " + p.waitFor();
            }
            case "runtime" -> {
                Process p = Runtime.getRuntime().exec(argument.split(" "));
                yield "exit " + p.waitFor();
            }
            default -> throw new IllegalArgumentException("no op " + op);
        };
    }

    /** The test's SMTP server, as mail sessions are configured. */
    private static Properties smtp() {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(smtpPort));
        return p;
    }

    /** The message every mail case sends, with Jakarta Mail. */
    private static jakarta.mail.internet.MimeMessage jakartaMessage(jakarta.mail.Session session, String to)
            throws jakarta.mail.MessagingException {
        jakarta.mail.internet.MimeMessage m = new jakarta.mail.internet.MimeMessage(session);
        m.setFrom("agent@acme.example");
        m.setRecipients(jakarta.mail.Message.RecipientType.TO, to);
        m.setSubject("accounts");
        m.setText("rows");
        return m;
    }

    /** The same message with javax Mail. */
    private static javax.mail.internet.MimeMessage javaxMessage(javax.mail.Session session, String to)
            throws javax.mail.MessagingException, java.io.IOException {
        javax.mail.internet.MimeMessage m = new javax.mail.internet.MimeMessage(session);
        m.setFrom("agent@acme.example");
        m.setRecipients(javax.mail.Message.RecipientType.TO, to);
        m.setSubject("accounts");
        // the body from a data source: with Jakarta Mail on the same class path, javax.activation would pick
        // Jakarta's text handlers for setText
        m.setDataHandler(new javax.activation.DataHandler(
                new javax.mail.util.ByteArrayDataSource("rows", "text/plain")));
        return m;
    }

    private static java.sql.Driver acme;
    /** A javax.mail session and transport made at start, outside any call (the op {@code javax-held}). */
    static javax.mail.Session heldSession;
    static javax.mail.Transport heldTransport;

    /**
     * A connection of the test's own driver {@code acme.db} (classes {@code Conn}, {@code Stmt}, {@code Prep}), loaded
     * the first time in a child class loader of its own, to the same H2 database.
     */
    static synchronized Connection acmeConnection() throws Exception {
        if (acme == null) {
            java.net.URL classes = EgressApp.class.getProtectionDomain().getCodeSource().getLocation();
            ClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {classes}, EgressApp.class.getClassLoader()) {
                @Override
                protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                    if (!name.startsWith("acme.db.")) {
                        return super.loadClass(name, resolve);
                    }
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : findClass(name);
                    }
                }
            };
            acme = (java.sql.Driver) Class.forName("acme.db.AcmeDriver", true, loader).getConstructor().newInstance();
        }
        Properties p = new Properties();
        p.put("user", "sa");
        p.put("password", "");
        return acme.connect("jdbc:acme:" + jdbcUrl.substring("jdbc:h2:".length()), p);
    }

    private String call(String tool, String op, String argument) throws Exception {
        return switch (tool) {
            case "crm.read_account" -> crmReadAccount(op, argument);
            case "email.send_external" -> sendExternal(op, argument);
            case "report.export" -> reportExport(op, argument);
            case "ops.inspect" -> opsInspect(op, argument);
            case "crm.sync" -> crmSync(op, argument);
            case "ledger.push" -> ledgerPush(op, argument);
            case "ledger.sync" -> ledgerSync(op, argument);
            case "-" -> perform(op, argument);
            default -> throw new IllegalArgumentException("no tool " + tool);
        };
    }

    public static void main(String[] args) throws Exception {
        jdbcUrl = args[0];
        smtpPort = Integer.parseInt(args[1]);
        EgressApp app = new EgressApp();
        heldSession = javax.mail.Session.getInstance(smtp());
        heldTransport = heldSession.getTransport("smtp");
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ", 5);
            if (w.length != 5) {
                continue;
            }
            ToolGuard.runAs(Map.of("user.id", "u-" + w[1], "session.id", w[1], "user.roles", List.of("agent")), () -> {
                String outcome;
                try {
                    outcome = "ok " + app.call(w[2], w[3], w[4]);
                } catch (ToolCallDeniedException e) {
                    outcome = "denied rule=" + e.rule() + " message=" + e.getMessage();
                } catch (Throwable e) {
                    Throwable c = e;
                    while (c.getCause() != null && !(c instanceof ToolCallDeniedException)) {
                        c = c.getCause();
                    }
                    outcome = c instanceof ToolCallDeniedException d
                            ? "denied rule=" + d.rule() + " message=" + d.getMessage()
                            : "error " + e;
                }
                System.out.println("call " + w[0] + ": " + outcome);
            });
        }
    }
}
