package dev.toolguard.bench.floor;

import dev.toolguard.api.GuardedTool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The floor agent must weave its check into every annotated method, with each kind: a floor that wove nothing would
 * start faster than any real guard and make the start-up keys look worse than they are.
 */
class FloorAgentTest {

    /** Stands for an application's tools. */
    public static class Tools {
        @GuardedTool
        public String refund(int amount) {
            int doubled = amount * 2;
            return doubled > 100 ? "large " + doubled : "small " + doubled; // a branch: its frame must stay valid
        }

        public String untouched() {
            return "untouched";
        }
    }

    /** Stands for a class without tools: its bytes never name the annotation. */
    public static class NoTools {
        public String lookup() {
            return "ok";
        }
    }

    @AfterEach
    void clearTheDeniedName() {
        System.clearProperty(FloorAgent.DENY_PROPERTY);
    }

    @ParameterizedTest
    @EnumSource(FloorAgent.Weaving.class)
    void eachKindChecksTheAnnotatedMethodAndLeavesTheOthersAlone(FloorAgent.Weaving weaving) throws Exception {
        Object tools = woven(weaving, Tools.class).getConstructor().newInstance();
        Method refund = tools.getClass().getMethod("refund", int.class);
        Method untouched = tools.getClass().getMethod("untouched");

        assertThat(refund.invoke(tools, 70)).isEqualTo("large 140");
        System.setProperty(FloorAgent.DENY_PROPERTY, "refund");
        assertThatThrownBy(() -> refund.invoke(tools, 70)).isInstanceOf(InvocationTargetException.class)
                .cause().isInstanceOf(IndexOutOfBoundsException.class);
        System.setProperty(FloorAgent.DENY_PROPERTY, "untouched");
        assertThat(refund.invoke(tools, 10)).isEqualTo("small 20");
        assertThat(untouched.invoke(tools)).isEqualTo("untouched");
    }

    @ParameterizedTest
    @EnumSource(FloorAgent.Weaving.class)
    void aClassThatNeverNamesTheAnnotationIsNotParsed(FloorAgent.Weaving weaving) throws Exception {
        ClassFileTransformer t = weaving.transformer(FloorAgent.DEFAULT_ANNOTATION);
        assertThat(t.transform(getClass().getClassLoader(), internalName(NoTools.class), null, null, bytesOf(NoTools.class)))
                .isNull();
    }

    @Test
    void kindsAreNamedAsTheAgentArgumentNamesThem() {
        assertThat(FloorAgent.Weaving.named("agent-builder")).isEqualTo(FloorAgent.Weaving.AGENT_BUILDER);
        assertThat(FloorAgent.Weaving.named("advice")).isEqualTo(FloorAgent.Weaving.ADVICE);
        assertThatThrownBy(() -> FloorAgent.Weaving.named("agentbuilder"))
                .hasMessage("floor agent: unknown kind 'agentbuilder' (asm, advice, agent-builder)");
    }

    /** The class as the transformer makes it, defined anew by a loader of its own. */
    private static Class<?> woven(FloorAgent.Weaving weaving, Class<?> type) throws Exception {
        byte[] original = bytesOf(type);
        ClassLoader parent = FloorAgentTest.class.getClassLoader();
        byte[] transformed = weaving.transformer(FloorAgent.DEFAULT_ANNOTATION)
                .transform(parent, internalName(type), null, null, original);
        assertThat(transformed).as("the class is woven").isNotNull().isNotEqualTo(original);
        return new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(type.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, transformed, 0, transformed.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        }.loadClass(type.getName());
    }

    private static String internalName(Class<?> type) {
        return type.getName().replace('.', '/');
    }

    private static byte[] bytesOf(Class<?> type) throws IOException {
        try (InputStream in = type.getClassLoader().getResourceAsStream(internalName(type) + ".class")) {
            return in.readAllBytes();
        }
    }
}
