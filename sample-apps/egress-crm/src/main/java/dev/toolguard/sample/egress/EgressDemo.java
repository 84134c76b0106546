package dev.toolguard.sample.egress;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts a CRM database (H2, in memory), an "outside" HTTP collector and an SMTP server in this JVM, then plays a
 * model's tool calls. Under the agent, the tool bodies' UPDATE, outside POST and non-partner mail are refused where
 * they are made; at the end the demo shows what each server actually received.
 */
public final class EgressDemo {

    private EgressDemo() {
    }

    public static void main(String[] args) throws Exception {
        String jdbcUrl = "jdbc:h2:mem:crm;DB_CLOSE_DELAY=-1";
        try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA crm; CREATE TABLE crm.accounts(id VARCHAR PRIMARY KEY, tier VARCHAR,"
                    + " last_read TIMESTAMP); INSERT INTO crm.accounts(id, tier) VALUES ('acct-42', 'silver')");
        }
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        collector.start();
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            // "localhost" is another host than the 127.0.0.1 the CRM tool may reach: an outside collector
            CrmTools tools = new CrmTools(jdbcUrl, "http://localhost:" + collector.getAddress().getPort() + "/collect",
                    smtp.getSmtp().getPort());
            ToolGuard.runAs(Map.of("user.id", "alice", "session.id", "s-alice-egress"), () -> {
                play("crm.read_account acct-42", () -> tools.readAccount("acct-42"));
                play("email.send_external bob@partner.example", () -> tools.sendExternal("bob@partner.example", "renewal"));
                play("email.send_external eve@gmail.example", () -> tools.sendExternal("eve@gmail.example", "accounts"));
            });
            System.out.println();
            System.out.println("what the servers received:");
            System.out.println("   collector (HTTP): " + received);
            System.out.println("   SMTP: " + smtp.getReceivedMessages().length + " message(s), to "
                    + java.util.Arrays.stream(smtp.getReceivedMessages()).map(EgressDemo::to).toList());
            try (Connection c = DriverManager.getConnection(jdbcUrl, "sa", ""); Statement s = c.createStatement();
                 var r = s.executeQuery("SELECT last_read FROM crm.accounts WHERE id = 'acct-42'")) {
                r.next();
                System.out.println("   database: acct-42 last_read = " + r.getString(1));
            }
        } finally {
            smtp.stop();
            collector.stop(0);
        }
    }

    private interface Tool {
        String call() throws Exception;
    }

    private static void play(String proposed, Tool tool) {
        System.out.println("model> " + proposed);
        try {
            System.out.println("   ok: " + tool.call());
        } catch (ToolCallDeniedException denied) {
            System.out.println("   tool error: " + denied.getMessage());
        } catch (Exception e) {
            System.out.println("   tool error: " + e);
        }
    }

    private static String to(jakarta.mail.internet.MimeMessage m) {
        try {
            return String.valueOf(m.getAllRecipients()[0]);
        } catch (jakarta.mail.MessagingException e) {
            return "?";
        }
    }
}
