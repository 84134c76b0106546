package dev.toolguard.api.internal;

import dev.toolguard.api.ToolCallDeniedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One JVM, one guard: the bridge is static, so this is one test walking the bridge's life in order. */
class GuardBridgeTest {

    /** A guard whose every method fails, as a bug of ours would. */
    static final class FailingGuard implements GuardBridge.Guard {
        @Override
        public Object enter(int toolId, Object self, Object[] args) {
            throw new IllegalStateException("bug");
        }

        @Override
        public Object enterNamed(String ruleSet, String tool, String site, Object args, Object[] extras) {
            throw new IllegalStateException("bug");
        }

        @Override
        public void exit(Object ticket, Object result, Throwable thrown) {
            throw new IllegalStateException("bug");
        }

        @Override
        public boolean discoverable(String tool) {
            throw new IllegalStateException("bug");
        }

        @Override
        public boolean discoverable(String tool, Object[] extras) {
            throw new IllegalStateException("bug");
        }

        @Override
        public Object captureContext() {
            throw new IllegalStateException("bug");
        }

        @Override
        public Object adoptContext(Object captured) {
            throw new IllegalStateException("bug");
        }

        @Override
        public void restoreContext(Object token) {
            throw new IllegalStateException("bug");
        }
    }

    @Test
    void theBridgeDeniesUntilInstalledTurnsFailuresIntoDenialsAndKeepsItsFirstGuard() {
        Object beforeInstall = GuardBridge.enter(0, null, new Object[0]);
        assertThat(beforeInstall).isInstanceOfSatisfying(ToolCallDeniedException.class,
                d -> assertThat(d.getMessage()).isEqualTo("Denied by ToolGuard: the agent is not ready [on_error]"));
        assertThat(GuardBridge.discoverable("ping")).isFalse();

        GuardBridge.install(new FailingGuard());

        assertThat(GuardBridge.enter(0, null, new Object[0])).isInstanceOfSatisfying(ToolCallDeniedException.class,
                d -> assertThat(d.rule()).isEqualTo("on_error"));
        assertThat(GuardBridge.enterNamed("mcp", "ping", "s", null, null)).isInstanceOf(ToolCallDeniedException.class);
        assertThat(GuardBridge.discoverable("ping")).isFalse();
        assertThat(GuardBridge.discoverable("ping", new Object[] {"exchange"})).isFalse();
        GuardBridge.exit(new Object(), "r", null);
        // a context that cannot be captured is not carried: the arguments stay the framework's own list
        assertThat(GuardBridge.captureContext()).isNull();
        assertThat(GuardBridge.adoptContext(new Object())).isNull();
        GuardBridge.restoreContext(new Object());
        java.util.List<Object> args = new java.util.ArrayList<>(java.util.List.of("a"));
        assertThat(GuardBridge.carryContext(args)).isSameAs(args);
        assertThat(GuardBridge.carriedBy(args)).isNull();
        assertThatThrownBy(() -> GuardBridge.install(new FailingGuard())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot be replaced");
    }

    /** An interface of a framework's, as a LangChain4j ToolExecutor is one. */
    interface Executor {
        String execute(String request);

        default String executeWithContext(String request) {
            return execute(request);
        }
    }

    @Test
    void aRefusingImplementationThrowsTheDenialAsTheCauseFromEveryMethodOfTheInterface() {
        ToolCallDeniedException denial = new ToolCallDeniedException("send_email", "roles", "no role grants it",
                "Denied by policy p: no role grants it [roles]");
        Executor refusing = (Executor) GuardBridge.refusing(Executor.class, denial);

        assertThatThrownBy(() -> refusing.execute("{}")).hasCause(denial).hasMessage(denial.getMessage());
        assertThatThrownBy(() -> refusing.executeWithContext("{}")).hasCause(denial);
        assertThat(refusing.toString()).isEqualTo("refused tool: Denied by policy p: no role grants it [roles]");
        assertThat(refusing).isEqualTo(refusing).isNotEqualTo(new Object());
    }

    /** The shape of Kotlin's {@code Continuation}, which the bridge only knows as a framework interface. */
    interface Continuation {
        Object getContext();

        void resumeWith(Object result);
    }

    @Test
    void aSuspendedCallsContinuationResumesTheCallerWithWhatTheCallEndedWithEvenWhenItsOutcomeCannotBeWritten() {
        java.util.List<Object> resumed = new java.util.ArrayList<>();
        Continuation caller = new Continuation() {
            @Override
            public Object getContext() {
                return "the caller's context";
            }

            @Override
            public void resumeWith(Object result) {
                resumed.add(result);
            }
        };

        // the installed guard's exit fails here (FailingGuard): the outcome is lost, the coroutine is not
        Continuation wrapped = (Continuation) GuardBridge.exitOnResume(Continuation.class, caller, new Object());
        wrapped.resumeWith("the tool's result");

        assertThat(resumed).containsExactly("the tool's result");
        assertThat(wrapped.getContext()).isEqualTo("the caller's context");
        assertThat(wrapped).isEqualTo(wrapped).isNotEqualTo(caller);
        GuardBridge.suspended(new Object());
        GuardBridge.suspended(null);
        // no continuation can be made of a type that is no interface: the call goes on with its own
        assertThat(GuardBridge.exitOnResume(String.class, caller, new Object())).isSameAs(caller);
    }

    @Test
    void guardingAdviceThrowsTheGuardsDenialOrWhenItHasNoneADenialThatTheCallCouldNotBeDecided() {
        ToolCallDeniedException denial = new ToolCallDeniedException("wipe", "tools.wipe.rules[0]", "no",
                "Denied by policy p: no [tools.wipe.rules[0]]");

        assertThat(GuardBridge.refusal(denial)).isSameAs(denial);
        // what the advice throws when it failed before the guard answered: never an allow, never another type
        assertThat(GuardBridge.refusal(null)).isInstanceOfSatisfying(ToolCallDeniedException.class, d -> {
            assertThat(d.rule()).isEqualTo("on_error");
            assertThat(d.getMessage()).isEqualTo("ToolGuard could not decide this call (internal error) [on_error]");
        });
        assertThat(GuardBridge.refusal("not a denial")).isInstanceOf(ToolCallDeniedException.class);
        assertThat(GuardBridge.PROCEED).isNotNull();
    }

    @Test
    void adviceFailuresAreCountedEveryTimeAndSaidOncePerSite() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream before = System.err;
        long counted = GuardBridge.adviceFailures();
        System.setErr(new java.io.PrintStream(err, true));
        try {
            GuardBridge.adviceFailed(new StackOverflowError(), "com.acme.Tools#wipe(String)");
            GuardBridge.adviceFailed(new StackOverflowError(), "com.acme.Tools#wipe(String)");
            GuardBridge.adviceFailed(new IllegalStateException("x"), "com.acme.Tools#ping()");
        } finally {
            System.setErr(before);
        }
        assertThat(GuardBridge.adviceFailures()).isEqualTo(counted + 3);
        assertThat(err.toString().lines()).containsExactly(
                "toolguard: advice failed at com.acme.Tools#wipe(String) (the call is denied): java.lang.StackOverflowError",
                "toolguard: advice failed at com.acme.Tools#ping() (the call is denied): java.lang.IllegalStateException: x");
    }
}
