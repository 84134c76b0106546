package dev.toolguard.policy.replay;

import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.TraceStep;
import dev.toolguard.policy.load.CompiledBundle;
import dev.toolguard.policy.load.CrossToolLimit;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.load.SequenceRule;
import dev.toolguard.policy.load.ToolPolicy;
import dev.toolguard.policy.state.EngineState;
import dev.toolguard.policy.values.Redaction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Re-decides the {@code decision} records of audit logs under a candidate bundle (SPEC §17), in log order, each at its
 * recorded time: the state (rate limits, budgets, session history) starts empty and evolves with the replayed calls,
 * as the candidate decides them, so limits and sequences replay too. Approvals are not resolved: a call that went to a
 * person was recorded as {@code require_approval}, and the candidate's {@code require_approval} stays one.
 *
 * <p>State lives as long as the process that recorded the calls: a {@code start} record (a process restarted and
 * opened the log) empties it again, unless that process keeps its state in a shared store (SPEC §14), which it says
 * with a {@code state} record at start.
 *
 * <p>A decision that read a value the log hid is undecidable, and so is a later one that read state such a call could
 * have charged (its tool's limits, the cross-tool limits counting it, the sequences it arms): whether that call was
 * charged depends on the hidden value too. Replay never guesses in either case.
 */
public final class Replay {

    private final CompiledBundle candidate;
    private final ReplayClock clock = new ReplayClock();
    private final HiddenReads reads = new HiddenReads();
    private PolicyEngine engine;
    /** A process started since the last decision; its memory starts empty unless it keeps state in a shared store. */
    private boolean restarted;
    /** Limit and sequence rule ids (or prefixes of them) whose state an undecidable call may have charged, and why. */
    private final Map<String, String> uncertainState = new LinkedHashMap<>();
    private final EnumMap<ReplayedCall.Change, Long> counts = new EnumMap<>(ReplayedCall.Change.class);
    private final List<ReplayedCall> changed = new ArrayList<>();

    private Replay(PolicyBundle candidate) {
        Objects.requireNonNull(candidate, "candidate");
        this.engine = freshEngine(candidate);
        this.candidate = (CompiledBundle) engine.bundle();
    }

    /** An engine on empty state; the clock is the recorded time of each call, read through the state as the agent's is. */
    private PolicyEngine freshEngine(PolicyBundle bundle) {
        return new PolicyEngine(bundle, EngineState.inMemory(clock), false, Redaction.DEFAULT);
    }

    /**
     * Replays {@code logs}, in order, under {@code candidate}.
     *
     * @throws ReplayInputException when a file cannot be read or holds a line that is not an audit record
     */
    public static ReplayReport run(PolicyBundle candidate, List<Path> logs) throws ReplayInputException {
        Replay replay = new Replay(candidate);
        List<String> warnings = new ArrayList<>();
        AuditLogReader reader = new AuditLogReader(replay.reads, warnings::add);
        AuditLogReader.Records records = new AuditLogReader.Records() {
            @Override
            public void decision(RecordedCall call) {
                replay.decide(call);
            }

            @Override
            public void processStarted() {
                replay.restarted = true;
            }

            @Override
            public void sharedState() {
                // a process on a shared store (SPEC §14) writes this at start: the fleet's counters outlived the restart
                replay.restarted = false;
            }
        };
        for (Path log : logs) {
            reader.read(log, records);
        }
        CompiledBundle b = replay.candidate;
        return new ReplayReport(b.name() + " " + b.version() + " sha256:" + b.sha256(), logs, replay.counts,
                replay.changed, warnings);
    }

    private void decide(RecordedCall recorded) {
        if (restarted) {
            // the agent's memory did not survive the restart: nor do the replay's counters, history and doubts
            restarted = false;
            engine = freshEngine(candidate);
            uncertainState.clear();
        }
        clock.moveTo(recorded.time());
        reads.clear();
        Decision decision = engine.explain(recorded.call());
        List<HiddenReads.Hidden> hidden = reads.read();
        String undecidable = hidden.isEmpty() ? readUncertainState(decision) : hidden.get(0).describe();
        ReplayedCall.Change change;
        if (undecidable != null) {
            change = ReplayedCall.Change.UNDECIDABLE;
            markUncertain(recorded.call().tool(), undecidable + ", at " + recorded.place());
        } else {
            change = ReplayedCall.Change.of(recorded.action(), recorded.rule(), decision.action(), decision.rule());
        }
        counts.merge(change, 1L, Long::sum);
        if (change != ReplayedCall.Change.UNCHANGED) {
            changed.add(new ReplayedCall(recorded, decision, change, undecidable));
        }
    }

    /** Why the decision cannot be told from state an undecidable call may have charged, or null when it can. */
    private String readUncertainState(Decision decision) {
        if (uncertainState.isEmpty() || decision.trace() == null) {
            return null;
        }
        for (TraceStep step : decision.trace()) {
            if (step.rule() == null || !(step.step().equals("limits") || step.step().equals("sequences"))) {
                continue;
            }
            for (Map.Entry<String, String> u : uncertainState.entrySet()) {
                if (step.rule().equals(u.getKey()) || step.rule().startsWith(u.getKey() + "[")) {
                    return "state of " + step.rule() + " charged by an undecidable call: " + u.getValue();
                }
            }
        }
        return null;
    }

    /** Whatever a call of {@code tool} can charge is uncertain from now on: it may or may not have been charged. */
    private void markUncertain(String tool, String why) {
        ToolPolicy policy = candidate.tool(tool);
        if (policy != null) {
            uncertainState.putIfAbsent(policy.ruleId("rate_limit"), why);
            uncertainState.putIfAbsent(policy.ruleId("budget"), why);
        }
        List<CrossToolLimit> limits = candidate.limits();
        for (int i = 0; i < limits.size(); i++) {
            if (limits.get(i).counts(tool)) {
                uncertainState.putIfAbsent("limits[" + i + "]", why);
            }
        }
        for (SequenceRule s : candidate.sequences()) {
            if (s.armedBy(tool)) {
                uncertainState.putIfAbsent(s.ruleId(), why);
            }
        }
    }
}
