package dev.toolguard.it.agent.apps;

import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.logging.LogManager;

/**
 * An application that configures JDK facilities in its {@code main}, as Quarkus does with its log manager: the
 * log manager ({@code java.util.logging.manager}) and the platform MBean server's builder
 * ({@code javax.management.builder.initial}). Each is honoured only if nothing initialised it before {@code main};
 * the app prints which one it got, then calls a guarded tool, so that the agent has surely started and decided.
 */
public class HostFacilitiesApp {

    /** The app's own log manager; JUL instantiates it only if it is set before the first use of logging. */
    public static class OwnLogManager extends LogManager {
    }

    /** The app's own MBean server builder; the platform server is built by it only if JMX was not started before. */
    public static class OwnMBeanServerBuilder extends MBeanServerBuilder {
        static volatile boolean built;

        @Override
        public MBeanServer newMBeanServer(String domain, MBeanServer outer, MBeanServerDelegate delegate) {
            built = true;
            return super.newMBeanServer(domain, outer, delegate);
        }
    }

    static volatile boolean mainStarted;
    static volatile boolean finderMadeBeforeMain;

    /**
     * The app's own {@code System.LoggerFinder} (a service on its class path, as JBoss LogManager's is under
     * Quarkus): the JDK makes it when something first logs through {@code System.Logger}, which must be the app.
     */
    public static class OwnLoggerFinder extends System.LoggerFinder {
        public OwnLoggerFinder() {
            finderMadeBeforeMain |= !mainStarted;
        }

        @Override
        public System.Logger getLogger(String name, Module module) {
            return new System.Logger() {
                @Override
                public String getName() {
                    return name;
                }

                @Override
                public boolean isLoggable(Level level) {
                    return false;
                }

                @Override
                public void log(Level level, java.util.ResourceBundle bundle, String msg, Throwable thrown) {
                }

                @Override
                public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
                }
            };
        }
    }

    @GuardedTool(name = "issue_refund")
    public String issueRefund(String customer_id, double amount) {
        System.out.println("body ran " + amount);
        return "refunded " + amount;
    }

    /** Guarded by the scenario's rules.yaml, so that the agent reads one at start; never called. */
    public void archiveCase(String caseId) {
        System.out.println("archived " + caseId);
    }

    public static void main(String[] args) {
        mainStarted = true;
        System.setProperty("java.util.logging.manager", OwnLogManager.class.getName());
        System.setProperty("javax.management.builder.initial", OwnMBeanServerBuilder.class.getName());
        System.out.println("log manager " + LogManager.getLogManager().getClass().getName());
        ManagementFactory.getPlatformMBeanServer();
        System.out.println("mbean server built by the app's builder: " + OwnMBeanServerBuilder.built);
        System.getLogger("app").isLoggable(System.Logger.Level.INFO);
        System.out.println("logger finder made before main: " + finderMadeBeforeMain);
        HostFacilitiesApp app = new HostFacilitiesApp();
        ToolGuard.runAs(Map.of("user.id", "u1", "user.roles", List.of("support_l1"), "tenant", "acme"), () -> {
            try {
                System.out.println("call: ok " + app.issueRefund("c1", 900));
            } catch (ToolCallDeniedException e) {
                System.out.println("call: denied rule=" + e.rule());
            }
        });
        System.out.println("done");
    }
}
