package dev.toolguard.agent.advice;

import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.api.internal.GuardBridge;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A class that could not be instrumented, defined with each of its methods refusing: none of its code runs. */
class RefusingMethodsTest {

    /** Stands for a class with tools; each method marks that its body ran. */
    public static class Tools {
        public final AtomicBoolean made = new AtomicBoolean(true); // the constructor's work

        public String refund(long amount, AtomicBoolean ran) {
            ran.set(true);
            return "refunded " + amount;
        }

        public static String lookup(AtomicBoolean ran) {
            ran.set(true);
            return "found";
        }

        /** A loop at the very first instruction: a jump target whose stack map frame moves with the call put before. */
        public int countDown(int n, AtomicBoolean ran) {
            while (n > 0) {
                n--;
                ran.set(true);
            }
            return n;
        }

        public Supplier<String> later(AtomicBoolean ran) {
            return () -> {
                ran.set(true);
                return "later";
            };
        }
    }

    /** An enum's initializer calls its compiler-made {@code $values}, which is left alone. */
    public enum Kind { REFUND, LOOKUP }

    private static Class<?> refusing(Class<?> type) throws Exception {
        return refusing(type, null, null, false);
    }

    /**
     * {@code type} defined with its methods refusing: those that carry one of {@code annotations} and those
     * {@code named} accepts, or all when both are null; its constructors too with {@code constructors}.
     */
    private static Class<?> refusing(Class<?> type, java.util.Set<String> annotations,
                                     java.util.function.Predicate<String> named, boolean constructors) throws Exception {
        byte[] original;
        String file = type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = type.getResourceAsStream(file)) {
            original = in.readAllBytes();
        }
        byte[] refusing = RefusingMethods.of(original, type.getName(), annotations, named, constructors);
        assertThat(refusing).isNotNull().isNotEqualTo(original);
        ClassLoader loader = new ClassLoader(RefusingMethodsTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(type.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, refusing, 0, refusing.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return Class.forName(type.getName(), true, loader); // defined, verified and initialized
    }

    private static ToolCallDeniedException refusal(Method m, Object self, Object... args) {
        try {
            m.invoke(self, args);
        } catch (InvocationTargetException e) {
            assertThat(e.getCause()).isInstanceOf(ToolCallDeniedException.class);
            return (ToolCallDeniedException) e.getCause();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        throw new AssertionError(m + " ran");
    }

    @Test
    void everyMethodRefusesBeforeItsFirstInstructionAndTheModelReadsOnlyThatItWasNotDecided() throws Exception {
        Class<?> tools = refusing(Tools.class);
        Object self = tools.getConstructor().newInstance();
        AtomicBoolean ran = new AtomicBoolean();
        long failuresBefore = GuardBridge.adviceFailures();

        ToolCallDeniedException refund = refusal(tools.getMethod("refund", long.class, AtomicBoolean.class), self,
                150L, ran);
        assertThat(refund.rule()).isEqualTo("on_error");
        assertThat(refund.getMessage()).isEqualTo(GuardBridge.UNDECIDED_MESSAGE);
        assertThat(refund.reason()).contains(Tools.class.getName() + "#refund(JLjava/util/concurrent/atomic/AtomicBoolean;)")
                .endsWith("could not be instrumented");
        refusal(tools.getMethod("lookup", AtomicBoolean.class), null, ran);
        refusal(tools.getMethod("countDown", int.class, AtomicBoolean.class), self, 3, ran);
        refusal(tools.getMethod("later", AtomicBoolean.class), self, ran);

        assertThat(ran).as("no method's body ran").isFalse();
        assertThat(GuardBridge.adviceFailures() - failuresBefore).isEqualTo(4);
    }

    @Test
    void constructorsAndInitializersStillRun() throws Exception {
        Class<?> tools = refusing(Tools.class);
        assertThat(tools.getField("made").get(tools.getConstructor().newInstance())).hasToString("true");

        Class<?> kind = refusing(Kind.class); // initialized: its initializer calls $values
        assertThat(kind.getField("LOOKUP").get(null)).hasToString("LOOKUP");
    }

    @Test
    void anUnreadableClassFileIsNoRefusal() {
        assertThat(RefusingMethods.of(new byte[] {1, 2, 3}, "Broken")).isNull();
    }

    /** Stands for a class whose one tool is annotated (the last resort of a start that cannot reach its runtime). */
    public static class OneTool {
        @dev.toolguard.api.GuardedTool(name = "refund")
        public String refund(AtomicBoolean ran) {
            ran.set(true);
            return "refunded";
        }

        public String describe(AtomicBoolean ran) {
            ran.set(true);
            return "described";
        }
    }

    @Test
    void onlyTheMethodsThatCarryTheAnnotationsGivenRefuse() throws Exception {
        Class<?> oneTool = refusing(OneTool.class, java.util.Set.of("Ldev/toolguard/api/GuardedTool;"), null, false);
        Object self = oneTool.getConstructor().newInstance();
        AtomicBoolean ran = new AtomicBoolean();

        refusal(oneTool.getMethod("refund", AtomicBoolean.class), self, ran);
        assertThat(ran).as("the tool's body ran").isFalse();
        assertThat(oneTool.getMethod("describe", AtomicBoolean.class).invoke(self, ran)).isEqualTo("described");
        assertThat(ran).isTrue();
    }

    @Test
    void onlyTheMethodsNamedRefuseWhenNoAnnotationIsGiven() throws Exception {
        Class<?> oneTool = refusing(OneTool.class, java.util.Set.of(), "describe"::equals, false);
        Object self = oneTool.getConstructor().newInstance();
        AtomicBoolean ran = new AtomicBoolean();

        refusal(oneTool.getMethod("describe", AtomicBoolean.class), self, ran);
        assertThat(ran).as("the named method's body ran").isFalse();
        assertThat(oneTool.getMethod("refund", AtomicBoolean.class).invoke(self, ran)).isEqualTo("refunded");
        assertThat(ran).isTrue();
    }

    /** Stands for a framework's fuse type: each tool call makes one, and its constructors do work of their own. */
    public static class Request {
        public static final AtomicBoolean MADE = new AtomicBoolean();
        public final String tool;

        public Request(String tool) {
            super();
            MADE.set(true);
            this.tool = tool;
        }

        public Request() {
            this("none"); // a constructor that calls another of its class first
        }

        public String tool() {
            return tool;
        }
    }

    /** The last resort's refusal of a framework fuse: no instance can be made, so none of the framework's calls goes on. */
    @Test
    void withConstructorsAskedForEveryConstructorRefusesBeforeItsSuperConstructorRuns() throws Exception {
        Class<?> request = refusing(Request.class, java.util.Set.of(), name -> false, true);
        long failuresBefore = GuardBridge.adviceFailures();

        for (java.lang.reflect.Constructor<?> c : request.getConstructors()) {
            Object[] args = c.getParameterCount() == 0 ? new Object[0] : new Object[] {"refund"};
            assertThatThrownBy(() -> c.newInstance(args)).isInstanceOf(InvocationTargetException.class)
                    .cause().isInstanceOf(ToolCallDeniedException.class)
                    .hasMessage(GuardBridge.UNDECIDED_MESSAGE);
        }
        assertThat(((AtomicBoolean) request.getField("MADE").get(null))).as("a constructor's body ran").isFalse();
        assertThat(GuardBridge.adviceFailures() - failuresBefore).isEqualTo(2);
        // the class's methods are left as they are: only the constructors were asked for
        assertThat(request.getMethod("tool")).isNotNull();
    }
}
