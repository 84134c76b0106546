package dev.toolguard.it.egress;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.toolguard.it.agent.AgentProcess;
import dev.toolguard.it.agent.AuditFile;
import dev.toolguard.it.agent.Scenario;
import dev.toolguard.it.agent.apps.LateLibrariesApp;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §13 and §18, the fail-closed edges of the egress sensors: HTTP, JDBC and mail libraries in a child class loader,
 * first met while a guarded call's body already runs, through clients another thread made outside that call (so no
 * constructor a sensor hooks runs inside it). Two of them do not fit their sensors: OkHttp 3 (a real release, whose
 * call class is not the one hooked) and an Apache HttpClient 5 reshaped under us (the real jar without
 * {@code ExecChain.Scope}); a javax.mail reshaped likewise (its static {@code Transport.send} renamed). Their fuses
 * refuse the call's requests and mail; the JDBC sensor, on what drivers implement, fits any driver and refuses the
 * statement itself. A real HTTP server, H2 and GreenMail show that nothing the refused egress would have sent arrived,
 * while a tool free to use all three reaches each. One application run serves every test.
 */
class LateUnfitLibrariesIT {

    @TempDir
    static Path dir;
    static HttpServer http;
    static final Queue<String> received = new ConcurrentLinkedQueue<>();
    static Server h2;
    static String jdbcUrl;
    static GreenMail smtp;
    static Scenario scenario;
    static AgentProcess app;
    static List<String> out;

    @BeforeAll
    static void runTheApplicationOnce() throws Exception {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            received.add(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.start();
        h2 = Server.createTcpServer("-tcpPort", String.valueOf(EgressIT.freePort()), "-ifNotExists").start();
        jdbcUrl = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/mem:late;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE notes(label VARCHAR)");
        }
        smtp = new GreenMail(new ServerSetup(EgressIT.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();

        List<Path> libraries = new ArrayList<>();
        libraries.add(copy(single("httpclient5-"), "httpclient5-without-scope.jar", (name, bytes) ->
                name.equals("org/apache/hc/client5/http/classic/ExecChain$Scope.class") ? null : bytes));
        libraries.addAll(AgentProcess.testClasspathJars("httpcore5-", "slf4j-api-", "h2-", "activation-"));
        libraries.add(copy(single("javax.mail-"), "javax.mail-without-static-send.jar", (name, bytes) ->
                name.equals("javax/mail/Transport.class") ? withoutStaticSend(bytes) : bytes));
        try (Stream<Path> okHttp3 = Files.list(Path.of(System.getProperty("toolguard.it.okhttp3.dir")))) {
            libraries.addAll(okHttp3.filter(p -> p.toString().endsWith(".jar")).toList());
        }

        scenario = new Scenario(dir);
        scenario.write("policies/late.yaml", """
                apiVersion: toolguard.dev/v1
                kind: Policy
                metadata: {name: late-libraries, version: "late-1"}
                default: deny
                tools:
                  late_report:
                    action: allow
                    egress:
                      http: {hosts: ["127.0.0.1"]}
                      sql: {statements: [select]}
                      mail: {recipients: ["*@partner.example"]}
                  late_free:
                    action: allow
                    egress: {http: allow, sql: allow, mail: allow}
                """);
        app = scenario.app().agentOptions("config=" + scenario.config(""))
                .main(LateLibrariesApp.class,
                        String.join(File.pathSeparator, libraries.stream().map(Path::toString).toList()),
                        "http://127.0.0.1:" + http.getAddress().getPort(), jdbcUrl,
                        String.valueOf(smtp.getSmtp().getPort()))
                .start();
        assertThat(app.waitFor(Duration.ofSeconds(60))).as(app.stderr()).isZero();
        out = app.stdoutLines();
        assertThat(out).as(app.stderr()).contains("done");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (app != null) {
            app.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (h2 != null) {
            h2.stop();
        }
        if (http != null) {
            http.stop(0);
        }
    }

    @Test
    void theFirstCallsRequestsThroughClientsMadeOutsideItAreRefusedByTheFusesAndNothingArrives() {
        // the call was allowed before the libraries were met: its body ran once
        assertThat(out.stream().filter("body ran late_report"::equals)).hasSize(1);
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("report apache: refused rule=on_error")
                .contains("apache-httpclient-5 egress sensor does not fit").contains("ExecChain$Scope")
                .contains("http egress of tool 'late_report'"));
        // the async clients too: their execute is refused where the sensor does not fit, before the request is produced
        for (String client : List.of("async", "minimal")) {
            assertThat(out).anySatisfy(l -> assertThat(l).startsWith("report apache " + client + ": refused rule=on_error")
                    .contains("apache-httpclient-5 egress sensor does not fit").contains("ExecChain$Scope")
                    .contains("http egress of tool 'late_report'"));
        }
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("report okhttp: refused rule=on_error")
                .contains("okhttp egress sensor does not fit")
                .contains("finds no class okhttp3.internal.connection.RealCall")
                .contains("http egress of tool 'late_report'"));
        // OkHttp 3 was met at all only through its fuse's places: without them it stayed unchecked and unreported
        assertThat(app.stderr()).contains("toolguard: okhttp (version unknown): not applied");
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("report okhttp enqueue: refused rule=on_error")
                .contains("okhttp egress sensor does not fit"));
        assertThat(received).as("what the HTTP server received").doesNotContain("/report-apache",
                "/report-apache-async", "/report-apache-minimal", "/report-okhttp", "/report-okhttp-enqueue");

        List<JsonNode> refused = AuditFile.ofType(scenario.audit(), "egress").stream()
                .filter(e -> e.path("tool").asText().equals("late_report")).toList();
        assertThat(refused).filteredOn(e -> e.path("kind").asText().equals("http")).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(e -> {
                    assertThat(e.path("action").asText()).isEqualTo("deny");
                    assertThat(e.path("enforced").asBoolean()).isTrue();
                    assertThat(e.path("rule").asText()).isEqualTo("on_error");
                });
    }

    @Test
    void aStatementOfADriverMetOnlyInsideTheCallIsStillSensedAndRefusedAndTheTableIsUnchanged() throws Exception {
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("report sql: refused rule=tools.late_report.egress.sql"));
        assertThat(rows()).as("the notes table").containsExactly("free");
        assertThat(out).contains("notes: rows 1");
    }

    @Test
    void mailThroughAReshapedMailApiIsRefusedByItsFuseAndNoMessageArrives() {
        // refused where the session is asked for a transport, so the tool reads the refusal itself
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("report mail: refused rule=on_error")
                .contains("javax-mail egress sensor does not fit").contains("mail egress of tool 'late_report'"));
        assertThat(smtp.getReceivedMessages()).as("what GreenMail received").hasSize(1)
                .allSatisfy(m -> assertThat(m.getSubject()).isEqualTo("free"));
        assertThat(AuditFile.ofType(scenario.audit(), "egress")).anySatisfy(e -> {
            assertThat(e.path("tool").asText()).isEqualTo("late_report");
            assertThat(e.path("kind").asText()).isEqualTo("mail");
            assertThat(e.path("action").asText()).isEqualTo("deny");
            assertThat(e.path("rule").asText()).isEqualTo("on_error");
            assertThat(e.path("reason").asText()).contains("javax-mail egress sensor does not fit")
                    .contains("finds no such method");
        });
    }

    @Test
    void aToolFreeToUseEveryKindReachesEachAndTheLaterCallOfTheRestrictingToolIsDeniedBeforeItsBody() {
        assertThat(out).contains("free apache: ok HTTP 200", "free apache async: ok HTTP 200",
                "free apache minimal: ok HTTP 200", "free okhttp: ok HTTP 200",
                "free okhttp enqueue: ok HTTP 200", "free sql: ok updated 1", "free mail: ok sent");
        assertThat(received).containsExactlyInAnyOrder("/free-apache", "/free-apache-async", "/free-apache-minimal",
                "/free-okhttp",
                "/free-okhttp-enqueue");
        assertThat(out).anySatisfy(l -> assertThat(l).startsWith("report 2: denied rule=on_error")
                .contains("egress sensor does not fit"));
    }

    private static List<String> rows() throws Exception {
        List<String> labels = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT label FROM notes")) {
            while (rs.next()) {
                labels.add(rs.getString(1));
            }
        }
        return labels;
    }

    private static Path single(String prefix) {
        List<Path> jars = AgentProcess.testClasspathJars(prefix);
        assertThat(jars).as("jars named " + prefix + "*").hasSize(1);
        return jars.get(0);
    }

    /** What a file of a jar becomes in the reshaped copy: its new bytes, or null to leave it out. */
    interface Reshape {
        byte[] apply(String name, byte[] bytes) throws Exception;
    }

    /** A copy of {@code jar} reshaped entry by entry, without its signature (the classes no longer match it). */
    private static Path copy(Path jar, String name, Reshape reshape) throws Exception {
        Path to = dir.resolve("libraries").resolve(name);
        Files.createDirectories(to.getParent());
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String entry = e.getName();
                if (e.isDirectory() || entry.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)")) {
                    continue;
                }
                byte[] bytes = reshape.apply(entry, in.readAllBytes());
                if (bytes != null) {
                    zip.putNextEntry(new ZipEntry(entry));
                    zip.write(bytes);
                    zip.closeEntry();
                }
            }
        }
        return to;
    }

    /** {@code javax.mail.Transport} whose static {@code send} methods are named {@code sendEach}: a reshaped API. */
    private static byte[] withoutStaticSend(byte[] transport) {
        ClassReader reader = new ClassReader(transport);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                boolean staticSend = (access & Opcodes.ACC_STATIC) != 0 && name.equals("send");
                return super.visitMethod(access, staticSend ? "sendEach" : name, descriptor, signature, exceptions);
            }
        }, 0);
        return writer.toByteArray();
    }
}
