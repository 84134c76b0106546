package dev.toolguard.it.agent.apps.late;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;

import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.BiFunction;

/**
 * What {@code LateLibrariesApp}'s tools do with four libraries that live in a child class loader of their own (this
 * class is loaded there too, child-first, so it can name them): an Apache HttpClient 5 minimal client, async client and
 * minimal async client (started), an OkHttp client, an H2 connection and a javax.mail session, each made when this object is made, on a
 * thread of the application's outside any guarded call. Operations: {@code apache <url>}, {@code apache-async|apache-minimal <url>},
 * {@code okhttp <url>}, {@code sql <text>},
 * {@code okhttp-enqueue <label>} (runs a call made with this object, to {@code <base>/<label>-okhttp-enqueue}),
 * {@code count <table>} and {@code mail <subject>} (to {@code ceo@partner.example}).
 */
public final class LateLibraries implements BiFunction<String, String, String> {

    private final CloseableHttpClient apache = HttpClients.createMinimal();
    private final org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient apacheAsync =
            org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault();
    private final org.apache.hc.client5.http.impl.async.MinimalHttpAsyncClient apacheMinimal =
            org.apache.hc.client5.http.impl.async.HttpAsyncClients.createMinimal();
    private final OkHttpClient okHttp = new OkHttpClient();
    private final Connection db;
    private final Session mail;
    /** OkHttp calls made now, each to run later by {@code enqueue}: {@code okhttp-enqueue <label>}. */
    private final java.util.Map<String, okhttp3.Call> calls = new java.util.HashMap<>();

    public LateLibraries(String baseUrl, String jdbcUrl, String smtpPort) throws Exception {
        apacheAsync.start();
        apacheMinimal.start();
        for (String label : new String[] {"report", "free"}) {
            calls.put(label, okHttp.newCall(new Request.Builder().url(baseUrl + "/" + label + "-okhttp-enqueue").build()));
        }
        Properties user = new Properties();
        user.setProperty("user", "sa");
        user.setProperty("password", "");
        db = ((java.sql.Driver) Class.forName("org.h2.Driver", true, getClass().getClassLoader())
                .getConstructor().newInstance()).connect(jdbcUrl, user);
        Properties smtp = new Properties();
        smtp.setProperty("mail.smtp.host", "127.0.0.1");
        smtp.setProperty("mail.smtp.port", smtpPort);
        mail = Session.getInstance(smtp);
    }

    @Override
    public String apply(String operation, String argument) {
        try {
            return switch (operation) {
                case "apache" -> {
                    try (CloseableHttpResponse r = apache.execute(new HttpGet(argument))) {
                        yield "HTTP " + r.getCode();
                    }
                }
                case "apache-async", "apache-minimal" -> {
                    var response = (operation.equals("apache-async") ? apacheAsync : apacheMinimal).execute(
                            org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(argument).build(), null)
                            .get(30, java.util.concurrent.TimeUnit.SECONDS);
                    yield "HTTP " + response.getCode();
                }
                case "okhttp" -> {
                    try (Response r = okHttp.newCall(new Request.Builder().url(argument).build()).execute()) {
                        yield "HTTP " + r.code();
                    }
                }
                case "okhttp-enqueue" -> {
                    java.util.concurrent.CompletableFuture<String> done = new java.util.concurrent.CompletableFuture<>();
                    calls.get(argument).enqueue(new okhttp3.Callback() {
                        @Override
                        public void onFailure(okhttp3.Call call, java.io.IOException e) {
                            done.completeExceptionally(e);
                        }

                        @Override
                        public void onResponse(okhttp3.Call call, Response response) {
                            response.close();
                            done.complete("HTTP " + response.code());
                        }
                    });
                    yield done.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
                case "sql" -> {
                    try (Statement s = db.createStatement()) {
                        yield "updated " + s.executeUpdate(argument);
                    }
                }
                case "count" -> {
                    try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(argument)) {
                        rs.next();
                        yield "rows " + rs.getInt(1);
                    }
                }
                case "mail" -> {
                    MimeMessage m = new MimeMessage(mail);
                    m.setFrom(new InternetAddress("agent@toolguard.example"));
                    m.setRecipient(Message.RecipientType.TO, new InternetAddress("ceo@partner.example"));
                    m.setSubject(argument);
                    m.setText("quarterly numbers");
                    // through a transport of its own: the static Transport.send is what this reshaped API lacks
                    try (Transport t = mail.getTransport("smtp")) {
                        t.connect();
                        t.sendMessage(m, m.getAllRecipients());
                    }
                    yield "sent";
                }
                default -> throw new IllegalArgumentException(operation);
            };
        } catch (RuntimeException e) {
            throw e; // a refusal, as the library threw it
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
