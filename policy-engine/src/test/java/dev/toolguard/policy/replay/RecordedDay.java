package dev.toolguard.policy.replay;

import dev.toolguard.policy.audit.AuditConfig;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.audit.AuditRecord;
import dev.toolguard.policy.audit.FsyncMode;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.load.BundleLoader;
import dev.toolguard.policy.load.LoadResult;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.state.TimeSource;
import dev.toolguard.policy.values.Redaction;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An audit log written the way the agent writes it: each call decided by the engine under the bundle then loaded, at
 * a time the test sets, and its decision record appended by the real {@link AuditLog} (redacting and cutting as it
 * does). Replay then reads the file as it would read a production log.
 */
final class RecordedDay implements AutoCloseable {

    static final String HEADER = "apiVersion: toolguard.dev/v1\nkind: Policy\n";
    static final Instant MORNING = Instant.parse("2026-12-01T09:00:00Z");

    private final Time time = new Time(MORNING);
    private final PolicyEngine engine;
    private final AuditLog log;
    private int calls;

    RecordedDay(Path file, PolicyBundle recordedUnder) throws Exception {
        this(file, recordedUnder, Redaction.DEFAULT);
    }

    RecordedDay(Path file, PolicyBundle recordedUnder, Redaction redaction) throws Exception {
        this(file, recordedUnder, redaction, dev.toolguard.policy.audit.AuditLayout.APPEND);
    }

    RecordedDay(Path file, PolicyBundle recordedUnder, dev.toolguard.policy.audit.AuditLayout layout) throws Exception {
        this(file, recordedUnder, Redaction.DEFAULT, layout);
    }

    private RecordedDay(Path file, PolicyBundle recordedUnder, Redaction redaction,
                        dev.toolguard.policy.audit.AuditLayout layout) throws Exception {
        this.engine = new PolicyEngine(recordedUnder, EngineState.inMemory(time));
        this.log = AuditLog.open(new AuditConfig(file.toString(), FsyncMode.NEVER, null, redaction)
                .withCheckpointEvery(Duration.ZERO).withLayout(layout), Map.of("agent", "test"), time);
    }

    /** A bundle of one file, with the standard header and {@code metadata: {name: support, version: <version>}}. */
    static PolicyBundle bundle(String version, String body) {
        LoadResult result = BundleLoader.loadTexts(Map.of("policy.yaml",
                HEADER + "metadata: {name: support, version: \"" + version + "\"}\n" + body));
        assertThat(result.errors()).isEmpty();
        return result.bundle();
    }

    /** Moves the clock to {@code MORNING + offset}. */
    RecordedDay at(Duration offset) {
        time.now = MORNING.plus(offset);
        return this;
    }

    /** Decides the call under the recorded bundle and writes its decision record; returns the recorded decision. */
    Decision call(String tool, Map<String, Object> args, Map<String, Object> ctx) throws Exception {
        ToolCall call = new ToolCall(tool, args, ctx);
        Decision d = engine.decide(call);
        log.decision("c" + (++calls), call, "com.acme.Tools#" + tool + "()", d);
        return d;
    }

    /** Writes a decision record as given, for what the engine alone does not decide (approvals). */
    void record(String id, ToolCall call, Decision decision) throws Exception {
        log.decision(id, call, "com.acme.Tools#" + call.tool() + "()", decision);
    }

    void append(AuditRecord record) throws Exception {
        log.append(record);
    }

    static Map<String, Object> user(String id, String... roles) {
        return Map.of("user", Map.of("id", id, "roles", List.of(roles)), "tenant", "acme");
    }

    @Override
    public void close() throws Exception {
        log.close();
    }

    /** One clock for the engine's state and the log's timestamps, moved by the test. */
    private static final class Time extends Clock implements TimeSource {
        private Instant now;

        Time(Instant start) {
            this.now = start;
        }

        @Override
        public long monotonicNanos() {
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public long epochMillis() {
            return now.toEpochMilli();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
