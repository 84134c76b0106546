package dev.toolguard.instrumentation.prefilter;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first test of the sensors on implementations: a class passes when one of its super types, however far up, is a
 * sensed type, whatever the class is called; "maybe" where a super type cannot be read; read once per loader.
 */
class ImplementationTestTest {

    /** Named as old drivers name theirs: nothing says Statement. */
    public abstract static class Stmt implements java.sql.Statement {
    }

    /** The JDBC type is two steps up, through a JDK sub-interface. */
    public abstract static class Base implements java.sql.CallableStatement {
    }

    public abstract static class Prep extends Base {
    }

    public abstract static class Conn implements AutoCloseable, Runnable {
    }

    public static class Plain {
    }

    private final Map<String, Integer> reads = new HashMap<>();

    private final ImplementationTest test = new ImplementationTest(
            Set.of("java.sql.Statement", "java.sql.PreparedStatement", "java.sql.Connection"), (loader, name) -> {
                reads.merge(name, 1, Integer::sum);
                return bytes(loader, name);
            });

    private static byte[] bytes(ClassLoader loader, String name) {
        try (InputStream in = (loader == null ? ClassLoader.getSystemClassLoader() : loader)
                .getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    private boolean mayImplement(Class<?> c) {
        ClassLoader loader = getClass().getClassLoader();
        return test.mayImplement(loader, c.getName(), bytes(loader, c.getName()));
    }

    @Test
    void aClassImplementingASensedTypeHoweverNamedPasses() {
        assertThat(mayImplement(Stmt.class)).isTrue();
        assertThat(mayImplement(Prep.class)).as("through its super class and CallableStatement").isTrue();
    }

    @Test
    void aClassWithNoSensedSuperTypeIsPassedOverAndSaidSo() {
        assertThat(mayImplement(Conn.class)).isFalse();
        assertThat(mayImplement(Plain.class)).isFalse();
        ClassLoader loader = getClass().getClassLoader();
        assertThat(test.answeredMaybe(loader, Conn.class.getName())).isFalse();
        assertThat(test.answeredMaybe(loader, Stmt.class.getName())).isTrue();
        assertThat(test.answeredMaybe(loader, "never.Asked")).as("never asked: the full match decides").isTrue();
        assertThat(reads).as("JDK types outside java.sql are never read").doesNotContainKeys(
                "java.lang.Object", "java.lang.AutoCloseable", "java.lang.Runnable");
    }

    @Test
    void aSuperTypeThatCannotBeReadMakesTheAnswerMaybe() {
        ImplementationTest blind = new ImplementationTest(Set.of("java.sql.Statement"), (loader, name) -> null);
        ClassLoader loader = getClass().getClassLoader();
        assertThat(blind.mayImplement(loader, Prep.class.getName(), bytes(loader, Prep.class.getName()))).isTrue();
        assertThat(blind.mayImplement(loader, "x.Broken", new byte[] {1, 2, 3})).as("a malformed class file").isTrue();
    }

    @Test
    void superTypesAreReadOncePerLoader() {
        mayImplement(Prep.class);
        mayImplement(Prep.class);
        assertThat(reads.get(Base.class.getName())).isEqualTo(1);
        assertThat(reads.get("java.sql.CallableStatement")).isEqualTo(1);
        assertThat(List.of(mayImplement(Base.class))).containsExactly(true);
    }
}
