package dev.toolguard.policy.replay;

import dev.toolguard.policy.audit.ApprovalRecord;
import dev.toolguard.policy.audit.StateRecord;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.PolicyEngine;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.load.PolicyBundle;
import dev.toolguard.policy.values.Redaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.toolguard.policy.replay.RecordedDay.user;
import static dev.toolguard.policy.replay.ReplayedCall.Change.ALLOW_TO_DENY;
import static dev.toolguard.policy.replay.ReplayedCall.Change.DENY_TO_ALLOW;
import static dev.toolguard.policy.replay.ReplayedCall.Change.OTHER;
import static dev.toolguard.policy.replay.ReplayedCall.Change.UNCHANGED;
import static dev.toolguard.policy.replay.ReplayedCall.Change.UNDECIDABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** SPEC §17: recorded decisions re-decided in order, at their recorded times, under a candidate bundle. */
class ReplayTest {

    static final String TOOLS = """
            tools:
              issue_refund:
                rules:
                  - when: args.amount <= 200
                    action: allow
                  - action: deny
                    reason: refund too large
              crm.read_account: {action: allow}
              email.send_external: {action: allow}
              lookup: {action: allow}
            """;
    static final PolicyBundle RECORDED = RecordedDay.bundle("1", TOOLS);

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("audit.jsonl");
    }

    private static List<ReplayedCall> changes(ReplayReport report) {
        return report.changed();
    }

    @Test
    void theBundleThatDecidedReplaysEveryDecisionUnchanged() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("issue_refund", Map.of("amount", 150), user("alice"));
            day.call("issue_refund", Map.of("amount", 900), user("alice"));
            day.call("delete_database", Map.of(), user("alice"));
        }

        ReplayReport report = Replay.run(RECORDED, List.of(log()));

        assertThat(report.total()).isEqualTo(3);
        assertThat(report.count(UNCHANGED)).isEqualTo(3);
        assertThat(report.changed()).isEmpty();
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void aTightenedRuleReportsExactlyTheCallsThatFlipWithOldAndNewRule() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("issue_refund", Map.of("amount", 150), user("alice"));
            day.at(Duration.ofMinutes(5)).call("issue_refund", Map.of("amount", 50), user("bob"));
            day.at(Duration.ofMinutes(9)).call("issue_refund", Map.of("amount", 900), user("bob"));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS.replace("args.amount <= 200", "args.amount <= 100"));

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(report.count(UNCHANGED)).isEqualTo(2);
        assertThat(report.count(ALLOW_TO_DENY)).isEqualTo(1);
        assertThat(changes(report)).extracting(c -> c.recorded().user(), ReplayedCall::oldAction, ReplayedCall::newAction,
                        c -> c.recorded().rule(), c -> c.decision().rule(), c -> c.decision().reason())
                .containsExactly(tuple("alice", Action.ALLOW, Action.DENY, "tools.issue_refund.rules[0]",
                        "tools.issue_refund.rules[1]", "refund too large"));
        assertThat(changes(report).get(0).recorded().time()).isEqualTo(RecordedDay.MORNING);
        assertThat(changes(report).get(0).recorded().place()).isEqualTo(log() + ":2");
        assertThat(report.byToolAndRule()).containsOnlyKeys("issue_refund");
        assertThat(report.byToolAndRule().get("issue_refund"))
                .containsOnlyKeys("tools.issue_refund.rules[0] -> tools.issue_refund.rules[1]");
    }

    @Test
    void aLoosenedPolicyCountsDenyToAllowAndAnotherActionAsOther() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("issue_refund", Map.of("amount", 900), user("alice"));
            day.call("crm.read_account", Map.of(), user("alice"));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS.replace("args.amount <= 200", "args.amount <= 1000")
                .replace("crm.read_account: {action: allow}", "crm.read_account: {action: require_approval}"));

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(c -> c.recorded().call().tool(), ReplayedCall::change)
                .containsExactly(tuple("issue_refund", DENY_TO_ALLOW), tuple("crm.read_account", OTHER));
    }

    @Test
    void aDenialNoPolicyMadeIsOtherWhenTheCandidateAllowsNeverDenyToAllow() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            ToolCall started = new ToolCall("issue_refund", Map.of("amount", 150), user("alice"));
            day.record("c1", started, PolicyEngine.noPolicy().decide(started));
            day.call("issue_refund", Map.of("amount", 900), user("alice"));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS.replace("args.amount <= 200", "args.amount <= 1000"));

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(c -> c.recorded().rule(), ReplayedCall::oldAction,
                        ReplayedCall::newAction, ReplayedCall::change)
                .containsExactly(tuple("no_policy", Action.DENY, Action.ALLOW, OTHER),
                        tuple("tools.issue_refund.rules[1]", Action.DENY, Action.ALLOW, DENY_TO_ALLOW));
    }

    @Test
    void rateLimitsReplayInOrderAtTheRecordedTimes() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("lookup", Map.of(), user("alice"));
            day.at(Duration.ofMinutes(1)).call("lookup", Map.of(), user("alice"));
            day.at(Duration.ofMinutes(2)).call("lookup", Map.of(), user("bob"));
            day.at(Duration.ofMinutes(3)).call("lookup", Map.of(), user("alice")); // the third of alice's hour
            day.at(Duration.ofMinutes(125)).call("lookup", Map.of(), user("alice")); // refilled two hours later
        }
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS.replace("lookup: {action: allow}",
                "lookup: {action: allow, rate_limit: {limit: 2, per: 1h, key: ctx.user.id}}"));

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(c -> c.recorded().place(), ReplayedCall::change, c -> c.decision().rule())
                .containsExactly(tuple(log() + ":5", ALLOW_TO_DENY, "tools.lookup.rate_limit"));
        assertThat(report.count(UNCHANGED)).isEqualTo(4);
    }

    @Test
    void budgetsReplayInWindowsOfTheRecordedDays() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("issue_refund", Map.of("amount", 150), user("alice"));
            day.at(Duration.ofHours(1)).call("issue_refund", Map.of("amount", 150), user("alice"));
            day.at(Duration.ofHours(24)).call("issue_refund", Map.of("amount", 150), user("alice"));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS.replace("  issue_refund:\n",
                "  issue_refund:\n    budget: {cost: args.amount, limit: 200, per: 1d, key: ctx.tenant}\n"));

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(c -> c.recorded().place(), c -> c.decision().rule())
                .containsExactly(tuple(log() + ":3", "tools.issue_refund.budget"));
    }

    @Test
    void sequencesReplayInOrderWithinTheirSessions() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("email.send_external", Map.of(), user("alice"));
            day.at(Duration.ofMinutes(1)).call("crm.read_account", Map.of(), user("alice"));
            day.at(Duration.ofMinutes(2)).call("email.send_external", Map.of(), user("bob"));
            day.at(Duration.ofMinutes(3)).call("email.send_external", Map.of(), user("alice"));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS + """
                sequences:
                  - name: no-crm-exfiltration
                    after: ["crm.read*"]
                    deny: [email.send_external]
                    within: 1h
                """);

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(c -> c.recorded().place(), c -> c.recorded().user(), c -> c.decision().rule())
                .containsExactly(tuple(log() + ":5", "alice", "sequences.no-crm-exfiltration"));
    }

    @Test
    void aProcessRestartEmptiesTheStateAsItEmptiedTheAgentsMemory() throws Exception {
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS.replace("lookup: {action: allow}",
                "lookup: {action: allow, rate_limit: {limit: 1, per: 1h, key: ctx.user.id}}"));
        try (RecordedDay first = new RecordedDay(log(), RECORDED)) {
            first.call("lookup", Map.of(), user("alice"));
            first.at(Duration.ofMinutes(1)).call("lookup", Map.of(), user("alice")); // the same process: limited
        }
        try (RecordedDay restarted = new RecordedDay(log(), RECORDED)) {
            restarted.at(Duration.ofMinutes(5)).call("lookup", Map.of(), user("alice")); // a new process: fresh memory
        }

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(c -> c.recorded().place()).containsExactly(log() + ":3");
    }

    @Test
    void aProcessOnASharedStoreKeepsTheStateAcrossItsRestart() throws Exception {
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS.replace("lookup: {action: allow}",
                "lookup: {action: allow, rate_limit: {limit: 1, per: 1h, key: ctx.user.id}}"));
        try (RecordedDay first = new RecordedDay(log(), RECORDED)) {
            first.append(new StateRecord("available", "redis://redis:6379/0", "deny", "the store answers"));
            first.call("lookup", Map.of(), user("alice"));
        }
        try (RecordedDay restarted = new RecordedDay(log(), RECORDED)) {
            restarted.append(new StateRecord("available", "redis://redis:6379/0", "deny", "the store answers"));
            restarted.at(Duration.ofMinutes(5)).call("lookup", Map.of(), user("alice"));
        }

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(c -> c.recorded().place(), c -> c.decision().rule())
                .containsExactly(tuple(log() + ":6", "tools.lookup.rate_limit"));
    }

    @Test
    void aDecisionThatReadsARedactedValueIsUndecidableNeverUnchanged() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RecordedDay.bundle("1", "tools:\n  login: {action: allow}\n"))) {
            day.call("login", Map.of("user", "alice", "password", "correct horse battery"), user("alice"));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", """
                tools:
                  login:
                    rules:
                      - when: size(args.password) >= 12
                        action: allow
                """);

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(report.count(UNCHANGED)).isZero();
        assertThat(changes(report)).singleElement().satisfies(c -> {
            assertThat(c.change()).isEqualTo(UNDECIDABLE);
            assertThat(c.newOutcome()).isEqualTo("undecidable (redacted: /args/password)");
        });
        // grouped under the recorded rule only: the candidate's rule was found on the placeholder
        assertThat(report.byToolAndRule().get("login")).containsOnlyKeys("tools.login.rules[0]");
    }

    @Test
    void aRedactedValueTheDecisionDoesNotReadLeavesItDecidable() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RecordedDay.bundle("1", "tools:\n  login: {action: allow}\n"))) {
            day.call("login", Map.of("user", "mallory", "password", "hunter2"),
                    Map.of("user", Map.of("id", "mallory", "api_token", "tok-123")));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", """
                tools:
                  login:
                    rules:
                      - when: args.user != "mallory" && has(args.password)
                        action: allow
                """);

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(ReplayedCall::change, c -> c.decision().rule())
                .containsExactly(tuple(ALLOW_TO_DENY, "tools.login.rules"));
    }

    @Test
    void aRedactedKeyInTheContextReadByAForbidIsUndecidable() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("lookup", Map.of(), Map.of("user", Map.of("id", "u1"), "session", Map.of("cookie", "abc")));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS + """
                forbid:
                  - when: 'has(ctx.session.cookie) && ctx.session.cookie.startsWith("x")'
                """);

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(ReplayedCall::undecidable).containsExactly("redacted: /ctx/session/cookie");
    }

    @Test
    void aValueCutByMaxValueCharsIsUndecidableWhenRead() throws Exception {
        Redaction shortValues = Redaction.of(Redaction.DEFAULT_KEYS, 10);
        try (RecordedDay day = new RecordedDay(log(), RECORDED, shortValues)) {
            day.call("lookup", Map.of("query", "a rather long query text"), user("alice"));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS.replace("lookup: {action: allow}", """
                lookup:
                    rules:
                      - {when: 'args.query.contains("drop")', action: deny}
                      - action: allow"""));

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(ReplayedCall::undecidable).containsExactly("truncated: /args/query");
    }

    @Test
    void stateAnUndecidableCallMayHaveChargedMakesLaterCallsReadingItUndecidable() throws Exception {
        PolicyBundle recorded = RecordedDay.bundle("1", "tools:\n  login: {action: allow}\n  lookup: {action: allow}\n");
        try (RecordedDay day = new RecordedDay(log(), recorded)) {
            day.call("login", Map.of("password", "long enough secret"), user("alice"));
            day.at(Duration.ofMinutes(1)).call("lookup", Map.of(), user("alice"));
        }
        PolicyBundle candidate = RecordedDay.bundle("2", """
                tools:
                  login:
                    rules:
                      - {when: size(args.password) >= 12, action: allow}
                  lookup: {action: allow}
                limits:
                  - {tools: ["*"], limit: 1, per: 1h, key: ctx.user.id}
                """);

        ReplayReport report = Replay.run(candidate, List.of(log()));

        assertThat(changes(report)).extracting(c -> c.recorded().call().tool(), ReplayedCall::change)
                .containsExactly(tuple("login", UNDECIDABLE), tuple("lookup", UNDECIDABLE));
        assertThat(changes(report).get(1).undecidable())
                .isEqualTo("state of limits[0] charged by an undecidable call: redacted: /args/password, at " + log() + ":2");
    }

    @Test
    void aCallThatWentToAPersonReplaysAsRequireApprovalUnresolved() throws Exception {
        PolicyBundle recorded = RecordedDay.bundle("1", """
                tools:
                  issue_refund:
                    rules:
                      - {when: args.amount > 2000, action: require_approval, approval: {mode: wait, timeout: 10m}}
                      - action: allow
                """);
        ToolCall call = new ToolCall("issue_refund", Map.of("amount", 3000), user("bob"));
        try (RecordedDay day = new RecordedDay(log(), recorded)) {
            Decision asked = day.call("issue_refund", Map.of("amount", 100), user("bob")); // c1: allowed outright
            day.append(new ApprovalRecord("apr_0123abcd", "requested", "c9", "issue_refund", call.args(), "bob", "wait",
                    RecordedDay.MORNING.plusSeconds(600), null, null));
            day.append(new ApprovalRecord("apr_0123abcd", "approved", null, null, null, null, null, null, "carol", "ok"));
            day.record("c9", call, new Decision(Action.ALLOW, true, "approved by carol (approval apr_0123abcd)",
                    "tools.issue_refund.rules[0]", null, "support", "1", asked.policySha256(), 10, null, List.of()));
        }

        ReplayReport same = Replay.run(recorded, List.of(log()));
        ReplayReport stricter = Replay.run(RecordedDay.bundle("2", """
                tools:
                  issue_refund:
                    rules:
                      - {when: args.amount > 2000, action: deny}
                      - action: allow
                """), List.of(log()));

        assertThat(same.count(UNCHANGED)).isEqualTo(2);
        assertThat(changes(stricter)).singleElement().satisfies(c -> {
            assertThat(c.oldAction()).isEqualTo(Action.REQUIRE_APPROVAL);
            assertThat(c.recorded().approval()).isEqualTo("allow: approved by carol (approval apr_0123abcd)");
            assertThat(c.change()).isEqualTo(OTHER);
        });
    }

    @Test
    void rotatedFilesAreReadInOrderAndStateCarriesAcrossThem() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("lookup", Map.of(), user("alice"));
            day.at(Duration.ofMinutes(1)).call("lookup", Map.of(), user("alice"));
        }
        List<String> lines = Files.readAllLines(log());
        Path older = dir.resolve("audit.jsonl.1");
        Path newer = dir.resolve("audit.jsonl.2");
        Files.write(older, lines.subList(0, 2));
        Files.write(newer, lines.subList(2, lines.size()));
        PolicyBundle candidate = RecordedDay.bundle("2", TOOLS.replace("lookup: {action: allow}",
                "lookup: {action: allow, rate_limit: {limit: 1, per: 1h, key: ctx.user.id}}"));

        ReplayReport inOrder = Replay.run(candidate, List.of(older, newer));
        ReplayReport reversed = Replay.run(candidate, List.of(newer, older));

        assertThat(inOrder.warnings()).isEmpty();
        assertThat(changes(inOrder)).extracting(c -> c.recorded().place()).containsExactly(newer + ":1");
        assertThat(reversed.warnings()).singleElement().asString()
                .startsWith(newer + ":1: the hash chain is broken (prev mismatch: the first record does not start a chain");
    }

    @Test
    void aFileThatDoesNotContinueTheOneBeforeItIsAWarning() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("lookup", Map.of(), user("alice"));
            day.call("lookup", Map.of(), user("bob"));
            day.call("lookup", Map.of(), user("carol"));
        }
        List<String> lines = Files.readAllLines(log());
        Path first = dir.resolve("audit.jsonl.1");
        Path third = dir.resolve("audit.jsonl.3");
        Files.write(first, lines.subList(0, 2));
        Files.write(third, lines.subList(3, 4)); // the file between them is missing

        ReplayReport report = Replay.run(RECORDED, List.of(first, third));

        assertThat(report.warnings()).singleElement().asString()
                .startsWith(third + ":1: the chain does not continue from " + first + ":2");
        assertThat(report.total()).isEqualTo(2);
    }

    @Test
    void aBrokenChainIsAWarningAndTheRecordsAreStillReplayed() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("issue_refund", Map.of("amount", 150), user("alice"));
            day.call("issue_refund", Map.of("amount", 160), user("alice"));
        }
        String text = Files.readString(log(), StandardCharsets.UTF_8);
        Files.writeString(log(), text.replace("\"amount\":160", "\"amount\":960"), StandardCharsets.UTF_8);

        ReplayReport report = Replay.run(RECORDED, List.of(log()));

        assertThat(report.warnings()).singleElement().asString()
                .startsWith(log() + ":3: the hash chain is broken (hash mismatch");
        assertThat(changes(report)).extracting(ReplayedCall::change).containsExactly(ALLOW_TO_DENY);
    }

    /** A log in the mapped layout still being written ends in zero bytes: the records before them replay, no warning. */
    @Test
    void aMappedLogBeingWrittenReplaysUpToItsZeroTail() throws Exception {
        ReplayReport report;
        try (RecordedDay day = new RecordedDay(log(), RECORDED, dev.toolguard.policy.audit.AuditLayout.MAPPED)) {
            day.call("issue_refund", Map.of("amount", 150), user("alice"));
            day.call("issue_refund", Map.of("amount", 900), user("alice"));
            assertThat(Files.readAllBytes(log())).as("a zero tail while open").endsWith(new byte[] {0, 0});

            report = Replay.run(RECORDED, List.of(log()));
        }

        assertThat(report.total()).isEqualTo(2);
        assertThat(report.count(UNCHANGED)).isEqualTo(2);
        assertThat(report.warnings()).isEmpty();
    }

    @Test
    void aLineThatIsNotAnAuditRecordIsAnErrorNamingFileAndLine() throws Exception {
        try (RecordedDay day = new RecordedDay(log(), RECORDED)) {
            day.call("lookup", Map.of(), user("alice"));
        }
        Files.writeString(log(), "not json at all\n" + Files.readString(log()), StandardCharsets.UTF_8);
        Path notALog = dir.resolve("notes.txt");
        Files.writeString(notALog, "{\"hello\":1}\n");

        assertThatThrownBy(() -> Replay.run(RECORDED, List.of(log())))
                .isInstanceOf(ReplayInputException.class).hasMessage(log() + ":1: not an audit record (a line of JSON with a \"type\")");
        assertThatThrownBy(() -> Replay.run(RECORDED, List.of(notALog)))
                .isInstanceOf(ReplayInputException.class).hasMessageStartingWith(notALog + ":1: not an audit");
        assertThatThrownBy(() -> Replay.run(RECORDED, List.of(dir.resolve("missing.jsonl"))))
                .isInstanceOf(ReplayInputException.class).hasMessageContaining("missing.jsonl: cannot read");
    }
}
