package dev.toolguard.it.agent.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.toolguard.api.GuardedTool;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.ToolGuard;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An application with its own versions of Jackson, SnakeYAML, SLF4J with Logback and ByteBuddy: it uses each,
 * says which jar each came from, and calls a guarded tool.
 */
public class ForeignLibrariesApp {

    @GuardedTool(name = "issue_refund")
    public String issueRefund(String customer_id, double amount) {
        System.out.println("body ran " + amount);
        return "refunded " + amount;
    }

    /** Whether the application's own class loader can load a class of the agent's. */
    static boolean visible(String className) {
        try {
            Class.forName(className, false, ForeignLibrariesApp.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        int a = new ObjectMapper().readTree("{\"a\":41}").get("a").asInt() + 1;
        System.out.println("jackson " + jar(ObjectMapper.class) + " read " + a);

        Map<String, Object> doc = new Yaml().load("k: v");
        System.out.println("snakeyaml " + jar(Yaml.class) + " read " + doc.get("k"));

        LoggerFactory.getLogger(ForeignLibrariesApp.class).info("hello from the app's own logback");
        System.out.println("slf4j " + jar(LoggerFactory.class) + " logback " + jar(ch.qos.logback.classic.Logger.class));

        Class<?> made = new ByteBuddy(ClassFileVersion.JAVA_V17).subclass(Object.class).name("dev.toolguard.it.Made")
                .make().load(ForeignLibrariesApp.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        System.out.println("bytebuddy " + jar(ByteBuddy.class) + " made " + made.getName());

        ForeignLibrariesApp app = new ForeignLibrariesApp();
        ToolGuard.runAs(Map.of("user.id", "u1", "user.roles", List.of("support_l1")), () -> {
            for (double amount : new double[] {150, 900}) {
                try {
                    System.out.println("call " + amount + ": ok " + app.issueRefund("c1", amount));
                } catch (ToolCallDeniedException e) {
                    System.out.println("call " + amount + ": denied rule=" + e.rule());
                }
            }
        });
        for (String agentClass : new String[] {"dev.toolguard.agent.runtime.AgentRuntime",
                "dev.toolguard.shaded.bytebuddy.ByteBuddy", "dev.toolguard.shaded.jackson.databind.ObjectMapper"}) {
            System.out.println("sees " + agentClass + ": " + visible(agentClass));
        }
        System.out.println("done");
    }

    private static String jar(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
    }
}
