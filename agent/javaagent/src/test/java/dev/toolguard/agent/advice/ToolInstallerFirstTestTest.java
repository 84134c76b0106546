package dev.toolguard.agent.advice;

import dev.toolguard.agent.instrument.Modules;
import dev.toolguard.agent.instrument.check.ModuleChecks;
import dev.toolguard.agent.instrument.check.UnmatchedEntries;
import dev.toolguard.api.GuardedTool;
import dev.toolguard.instrumentation.ToolRules;
import dev.toolguard.instrumentation.rule.ToolRule;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installer's first test of a class as it loads ({@link ToolInstaller#mayMatch}): sensors by name, the JDK and
 * the agent never searched for tools, everything else by the tool prefilter.
 */
class ToolInstallerFirstTestTest {

    public static class Tools {
        @GuardedTool(name = "t")
        public void t() {
        }
    }

    public static class NoTools {
        public void n() {
        }
    }

    /** A JDBC driver's statement, as a sensor on implementations finds it: by what it implements. */
    public abstract static class AcmeStatement implements java.sql.Statement {
    }

    /** An old driver's statement named otherwise ({@code org.sqlite.Stmt}): still a statement. */
    public abstract static class Stmt implements java.sql.Statement {
    }

    /** A driver's base class, implementing the JDK type a few levels up (through {@code CallableStatement}). */
    public abstract static class Base implements java.sql.CallableStatement {
    }

    /** Its subclass: nothing in its own class file says JDBC. */
    public abstract static class Prep extends Base {
    }

    /** Neither named like a statement nor implementing one. */
    public abstract static class Conn implements AutoCloseable {
    }

    private final ToolInstaller installer = installer(s -> { });

    /** An installer with every module's annotation rules, saying its diagnostics to {@code diagnostics}. */
    static ToolInstaller installer(Consumer<String> diagnostics) {
        ClassLoader agent = ToolInstallerFirstTestTest.class.getClassLoader();
        ModuleChecks checks = new ModuleChecks(Modules.ALL, false, agent, s -> { });
        ModuleChecks sensors = new ModuleChecks(Modules.SENSORS, false, agent, s -> { });
        List<ToolRule> rules = new ArrayList<>(Modules.annotationRules(checks.modules()));
        return new ToolInstaller(new ToolRules(rules, Modules.parameterNaming()), checks, sensors,
                new UnmatchedEntries(false, s -> { }), new ToolRegistry(), diagnostics);
    }

    static byte[] bytesOf(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    /** The fixture's bytes under an application's name: this test's own package is the agent's, never searched. */
    private boolean mayMatch(ClassLoader loader, Class<?> c) throws IOException {
        return installer.mayMatch(loader, "com/acme/" + c.getSimpleName(), bytesOf(c));
    }

    @Test
    void applicationClassesAreTestedForTools() throws IOException {
        ClassLoader app = getClass().getClassLoader();
        assertThat(mayMatch(app, Tools.class)).isTrue();
        assertThat(mayMatch(app, NoTools.class)).isFalse();
    }

    @Test
    void sensedJdkTypesPassEvenFromTheBootstrapLoader() throws IOException {
        byte[] any = bytesOf(NoTools.class); // sensors are matched by name: the bytes are not read
        assertThat(installer.mayMatch(null, "java/lang/ProcessBuilder", any)).isTrue();
        assertThat(installer.mayMatch(null, "java/lang/String", any)).isFalse();
        assertThat(installer.mayMatch(null, "com/acme/Tools", bytesOf(Tools.class)))
                .as("the bootstrap loader's classes are never searched for tools").isFalse();
    }

    @Test
    void implementationsOfSensedTypesPassByTheirSuperTypesHoweverNamed() throws IOException {
        ClassLoader app = getClass().getClassLoader();
        assertThat(mayMatch(app, AcmeStatement.class)).isTrue();
        assertThat(mayMatch(app, Stmt.class)).as("a statement named Stmt").isTrue();
        // the super type is read where the loader finds it, under its real name
        assertThat(installer.mayMatch(app, "com/acme/Prep", bytesOf(Prep.class)))
                .as("a statement whose JDBC type is two super types up").isTrue();
        assertThat(mayMatch(app, Conn.class)).as("no JDBC type among its super types").isFalse();
    }

    @Test
    void theAgentsOwnClassesNeverPass() throws IOException {
        ClassLoader app = getClass().getClassLoader();
        assertThat(installer.mayMatch(app, "dev/toolguard/agent/runtime/Dispatcher", bytesOf(Tools.class))).isFalse();
        assertThat(installer.mayMatch(app, "dev/toolguard/shaded/bytebuddy/Anything", bytesOf(Tools.class))).isFalse();
    }

    @Test
    void frameworkHookTypesPassByName() throws IOException {
        assertThat(installer.mayMatch(getClass().getClassLoader(),
                "org/springframework/ai/tool/function/FunctionToolCallback", bytesOf(NoTools.class))).isTrue();
    }

    @Test
    void theRetransformationPassAtStartLooksOnlyAtClassesTheMatcherCanMatch() {
        assertThat(installer.mayMatchLoaded(ProcessBuilder.class)).as("a sensed JDK class").isTrue();
        assertThat(installer.mayMatchLoaded(String.class)).as("a JDK class no sensor names").isFalse();
        assertThat(installer.mayMatchLoaded(java.sql.Connection.class)).as("the platform loader's, unsensed").isFalse();
        assertThat(installer.mayMatchLoaded(ToolInstaller.class)).as("the agent's own").isFalse();
        assertThat(installer.mayMatchLoaded(int.class)).isFalse();
        assertThat(installer.mayMatchLoaded(String[].class)).isFalse();
        assertThat(installer.mayMatchLoaded(org.assertj.core.api.Assertions.class))
                .as("an application loader's class: only the full match can tell whether it holds tools").isTrue();
    }
}
