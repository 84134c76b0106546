package dev.toolguard.agent.runtime;

import dev.toolguard.agent.advice.ToolRegistry;
import dev.toolguard.agent.context.CallSite;
import dev.toolguard.api.ToolCallDeniedException;
import dev.toolguard.instrumentation.ToolMethod;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DispatcherTest {

    /** Records what it was asked and allows, unless told to deny or to fail. */
    static final class RecordingGuard implements CallGuard {
        final List<String> events = new ArrayList<>();
        String deny;
        RuntimeException fail;
        Runnable whileDeciding;

        @Override
        public Verdict before(ToolMethod method, CallSite site, ArgumentReader.Result args) {
            if (fail != null) {
                throw fail;
            }
            if (whileDeciding != null) {
                whileDeciding.run();
            }
            events.add("before " + method.toolName() + " " + args.args());
            return method.toolName().equals(deny)
                    ? new Verdict(new ToolCallDeniedException(method.toolName(), "r", "no", "Denied: no [r]"), "id", 0)
                    : new Verdict(null, "id-" + method.toolName(), 1);
        }

        @Override
        public void after(Verdict verdict, Object result, Throwable thrown) {
            events.add("after " + verdict.callId() + " " + result);
        }

        @Override
        public Verdict failed(ToolMethod method, Throwable failure) {
            events.add("failed " + method.toolName() + " " + failure.getMessage());
            return new Verdict(new ToolCallDeniedException(method.toolName(), "on_error", "internal", "Denied [on_error]"), null, 0);
        }

        @Override
        public Verdict refused(ToolMethod method, String why) {
            events.add("refused " + method.toolName() + " " + why);
            return new Verdict(new ToolCallDeniedException(method.toolName(), "on_error", why, "Denied [on_error]"), null, 0);
        }

        @Override
        public java.util.Map<String, Object> context() {
            return java.util.Map.of("user", java.util.Map.of("id", "alice"));
        }

        @Override
        public boolean discoverable(String toolName, Object[] extras) {
            return discoverable(toolName);
        }

        @Override
        public boolean discoverable(String toolName) {
            return !toolName.equals(deny);
        }
    }

    private final ToolRegistry registry = new ToolRegistry();
    private final RecordingGuard guard = new RecordingGuard();
    private final Dispatcher dispatcher = new Dispatcher(registry, guard, new PlainValueArgumentReader());

    private int tool(String name) {
        return registry.register(new ToolMethod(name, "C", "m", "C#m(String)", List.of("x"), "guarded-tool"));
    }

    @Test
    void anAllowedCallGetsATicketWhoseExitWritesTheOutcome() {
        int id = tool("ping");

        Object ticket = dispatcher.enter(id, null, new Object[]{"a"});
        dispatcher.exit(ticket, "pong", null);

        assertThat(ticket).isNotInstanceOf(Throwable.class);
        assertThat(guard.events).containsExactly("before ping {x=a}", "after id-ping pong");
    }

    @Test
    void aDeniedCallReturnsTheDenialToThrow() {
        guard.deny = "ping";

        Object verdict = dispatcher.enter(tool("ping"), null, new Object[]{"a"});

        assertThat(verdict).isInstanceOf(ToolCallDeniedException.class);
    }

    @Test
    void theSameToolNestedInsideItselfIsDecidedOnceByTheOuterCall() {
        int outer = tool("issue_refund");
        int inner = tool("issue_refund");

        Object a = dispatcher.enter(outer, null, new Object[]{"a"});
        Object b = dispatcher.enter(inner, null, new Object[]{"a"});
        dispatcher.exit(b, "inner", null);
        dispatcher.exit(a, "outer", null);

        assertThat(guard.events).containsExactly("before issue_refund {x=a}", "after id-issue_refund outer");
    }

    @Test
    void anotherToolCalledFromInsideAToolIsDecidedToo() {
        int outer = tool("plan");
        int inner = tool("issue_refund");

        Object a = dispatcher.enter(outer, null, new Object[]{"a"});
        Object b = dispatcher.enter(inner, null, new Object[]{"b"});
        dispatcher.exit(b, "inner", null);
        dispatcher.exit(a, "outer", null);

        assertThat(guard.events).containsExactly("before plan {x=a}", "before issue_refund {x=b}",
                "after id-issue_refund inner", "after id-plan outer");
    }

    @Test
    void aCallEndedOnAnotherThreadDoesNotLeaveTheDecidingThreadPassingTheToolThrough() throws Exception {
        int id = tool("issue_refund");

        Object first = dispatcher.enter(id, null, new Object[]{"a"});
        Thread elsewhere = new Thread(() -> dispatcher.exit(first, "async result", null));
        elsewhere.start();
        elsewhere.join();
        Object second = dispatcher.enter(id, null, new Object[]{"b"});
        dispatcher.exit(second, "r", null);
        dispatcher.exit(first, "reported twice", null);

        assertThat(guard.events).containsExactly("before issue_refund {x=a}", "after id-issue_refund async result",
                "before issue_refund {x=b}", "after id-issue_refund r");
    }

    @Test
    void aCallParkedByItsCoroutineNoLongerMakesTheSameToolOnItsThreadANestedPassThrough() {
        int id = tool("issue_refund");

        Object first = dispatcher.enter(id, null, new Object[]{"a"});
        dispatcher.suspended(first);
        // the thread takes up another coroutine's call of the same tool while the first is parked
        Object second = dispatcher.enter(id, null, new Object[]{"b"});
        dispatcher.exit(second, "second", null);
        dispatcher.exit(first, "first, resumed", null);

        assertThat(guard.events).containsExactly("before issue_refund {x=a}", "before issue_refund {x=b}",
                "after id-issue_refund second", "after id-issue_refund first, resumed");
    }

    @Test
    void aParkedCallKeepsTheCallsOpenedBeforeItOnItsThread() {
        int outer = tool("plan");
        int inner = tool("issue_refund");

        Object a = dispatcher.enter(outer, null, new Object[]{"a"});
        Object b = dispatcher.enter(inner, null, new Object[]{"b"});
        dispatcher.suspended(b);
        // still inside plan: plan again is the nested pass-through it always was
        Object again = dispatcher.enter(outer, null, new Object[]{"c"});
        dispatcher.exit(again, "nested", null);
        dispatcher.exit(b, "resumed", null);
        dispatcher.exit(a, "outer", null);

        assertThat(guard.events).containsExactly("before plan {x=a}", "before issue_refund {x=b}",
                "after id-issue_refund resumed", "after id-plan outer");
    }

    @Test
    void aFailureWhileDecidingIsADenialNotAnException() {
        guard.fail = new IllegalStateException("boom");

        Object verdict = dispatcher.enter(tool("ping"), null, new Object[]{"a"});

        assertThat(verdict).isInstanceOf(ToolCallDeniedException.class);
        assertThat(guard.events).containsExactly("failed ping boom");
    }

    @Test
    void aGuardedToolCalledWhileDecidingIsDeniedSoTheCheckerNeverChecksItself() {
        int inner = tool("ping");
        List<Object> seen = new ArrayList<>();
        guard.whileDeciding = () -> {
            guard.whileDeciding = null;
            seen.add(dispatcher.enter(inner, null, new Object[]{"x"}));
        };

        dispatcher.enter(tool("outer"), null, new Object[]{"a"});

        assertThat(seen).singleElement().isInstanceOf(ToolCallDeniedException.class);
        assertThat(guard.events).contains("refused ping a guarded tool was called while deciding");
    }

    @Test
    void anUnknownToolIdIsDenied() {
        assertThat(dispatcher.enter(12345, null, new Object[0])).isInstanceOf(ToolCallDeniedException.class);
    }

    @Test
    void namedCallsReadJsonArgumentsAndRejectBrokenOnes() {
        dispatcher.exit(dispatcher.enterNamed("spring-ai", "lookup", "Fn#call", "{\"q\":\"x\",\"n\":2}", null), "r", null);
        Object broken = dispatcher.enterNamed("spring-ai", "lookup", "Fn#call", "{not json", null);

        assertThat(guard.events.get(0)).isEqualTo("before lookup {q=x, n=2}");
        assertThat(guard.events.get(2)).startsWith("before lookup null");
        assertThat(broken).isNotInstanceOf(Throwable.class);
    }

    @Test
    void aCallOfAnUninstrumentableClassIsRecordedAsRefusedUnderItsMethod() {
        dispatcher.refusedUninstrumentable("com.acme.Tools#refund(JLjava/lang/String;)Ljava/lang/String;");

        assertThat(guard.events).containsExactly("refused com.acme.Tools#refund its class could not be instrumented,"
                + " so none of its methods may run");
    }

    @Test
    void aCallOfAnUninstrumentableClassMadeWhileDecidingWritesNoRecordFromInsideTheDecision() {
        guard.whileDeciding = () -> dispatcher.refusedUninstrumentable("com.acme.Used#get()V");

        dispatcher.enter(tool("ping"), null, new Object[]{"a"});

        assertThat(guard.events).containsExactly("before ping {x=a}");
    }

    @Test
    void aMethodRegisteredAsRefusedIsRefusedWithItsReasonNeverDecidedAndIsNoTool() {
        int decided = tool("ping");
        int refused = registry.registerRefused(new ToolMethod("archive", "com.acme.Billing", "archive",
                "com.acme.Billing#archive()", List.of(), "rules"), "rules.yaml:2:5: class com.acme.Billing has no method"
                + " matching 'refnd'");

        Object ticket = dispatcher.enter(refused, null, new Object[0]);

        assertThat(ticket).isInstanceOf(ToolCallDeniedException.class);
        assertThat(guard.events).containsExactly("refused archive rules.yaml:2:5: class com.acme.Billing has no method"
                + " matching 'refnd'");
        assertThat(registry.all()).extracting(ToolMethod::toolName).containsExactly("ping");
        assertThat(registry.refused(decided)).isNull();
        assertThat(registry.get(refused)).isNull();
    }
}
