package dev.toolguard.policy.replay;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.toolguard.policy.audit.AuditLog;
import dev.toolguard.policy.audit.AuditVerification;
import dev.toolguard.policy.audit.AuditVerifier;
import dev.toolguard.policy.decide.Action;
import dev.toolguard.policy.decide.ToolCall;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads audit logs, in the order given (a rotated log's older files first), and hands each {@code decision} record to
 * the replay as a {@link RecordedCall}. A broken hash chain, inside a file or from one file to the next, is a warning:
 * the records are still replayed, but the report says they may not be what was written. A line that is not an audit
 * record is an error naming its file and line, except a last line torn by a crash.
 */
final class AuditLogReader {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final Pattern APPROVAL_ID = Pattern.compile("\\bapr_[A-Za-z0-9]+");

    private final Consumer<String> warnings;
    private final HiddenReads reads;
    /** Call ids that an approval record names ({@code requested}, {@code used}): those calls went to a person. */
    private final Set<String> approvedCalls = new HashSet<>();
    /** Approval ids seen in {@code requested} records, with the call that opened them. */
    private final Map<String, String> approvals = new HashMap<>();
    private String lastHash;
    private String lastPlace;
    private long recordsRead;

    AuditLogReader(HiddenReads reads, Consumer<String> warnings) {
        this.reads = reads;
        this.warnings = warnings;
    }

    /** What the replay is told of a log, in log order. */
    interface Records {
        /** A decision record. */
        void decision(RecordedCall call);

        /** A {@code start} record: a process (re)started and opened the log. */
        void processStarted();

        /** A {@code state} record: the process keeps its state in a shared store (SPEC §14), which outlives it. */
        void sharedState();
    }

    /** Reads {@code file}, telling {@code calls} of each record that matters to a replay; returns how many it read. */
    long read(Path file, Records calls) throws ReplayInputException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ReplayInputException(file + ": cannot read: no such readable file");
        }
        String continuing = lastHash;
        long before = recordsRead;
        String firstPrev = null;
        long records = 0;
        long lineNo = 0;
        String torn = null;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                String place = file + ":" + lineNo;
                int zero = line.indexOf('\0');
                if (zero >= 0) {
                    // a mapped log's zero tail (being written, or left by a kill): no record is written past it; zeros
                    // with records after them are the verifier's to report (below)
                    if (!line.substring(0, zero).isBlank()) {
                        torn = torn != null ? torn : place;
                    }
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record = parse(line);
                if (record == null || !record.path("type").isTextual()) {
                    if (torn != null) {
                        throw new ReplayInputException(torn + ": not an audit record (a line of JSON with a \"type\")");
                    }
                    torn = place; // a crash may have torn it: only the recovering start record or the end may follow
                    continue;
                }
                if (torn != null) {
                    if (!record.path("type").asText().equals("start") || !record.has("torn_offset")) {
                        throw new ReplayInputException(torn + ": not an audit record (a line of JSON with a \"type\")");
                    }
                    warnings.accept(torn + ": a record torn by a crash is skipped");
                    torn = null;
                }
                if (records == 0) {
                    firstPrev = record.path("prev").asText(null);
                    if (continuing != null && !AuditLog.GENESIS.equals(firstPrev) && !continuing.equals(firstPrev)) {
                        warnings.accept(place + ": the chain does not continue from " + lastPlace
                                + " (the files are out of order, or records between them are missing)");
                    }
                }
                records++;
                recordsRead++;
                lastHash = record.path("hash").asText(null);
                lastPlace = place;
                take(record, place, calls);
            }
        } catch (IOException e) {
            throw new ReplayInputException(file + ":" + (lineNo + 1) + ": cannot read: " + e.getMessage());
        }
        if (torn != null) {
            warnings.accept(torn + ": the last line is torn (the writer stopped mid-record); it is skipped");
        }
        if (records == 0) {
            throw new ReplayInputException(file + ":1: not an audit log: it holds no records");
        }
        // a rotated log's later file continues the chain of the one before it; a new process's file starts afresh
        AuditVerification chain = continuing == null || AuditLog.GENESIS.equals(firstPrev)
                ? AuditVerifier.verify(file)
                : AuditVerifier.verifyContinuing(file, firstPrev, continuing.equals(firstPrev) ? before : 0);
        if (!chain.ok()) {
            warnings.accept(file + ":" + chain.badLine() + ": the hash chain is broken (" + chain.reason()
                    + "); the records from there on are replayed, but may not be the ones written");
        }
        return records;
    }

    private void take(JsonNode record, String place, Records calls) throws ReplayInputException {
        String type = record.path("type").asText();
        if (type.equals("start")) {
            calls.processStarted();
            return;
        }
        if (type.equals("state")) {
            calls.sharedState();
            return;
        }
        if (type.equals("approval")) {
            String event = record.path("event").asText("");
            String call = record.path("call").asText(null);
            if (call != null && (event.equals("requested") || event.equals("used"))) {
                approvedCalls.add(call);
            }
            if (event.equals("requested") && record.path("id").isTextual()) {
                approvals.put(record.path("id").asText(), call);
            }
            return;
        }
        if (!type.equals("decision")) {
            return;
        }
        String tool = text(record, "tool", place);
        Instant time = time(record, place);
        Action action;
        try {
            action = Action.fromWireName(text(record, "action", place));
        } catch (IllegalArgumentException e) {
            throw new ReplayInputException(place + ": the decision record's \"action\" is not allow, deny or"
                    + " require_approval");
        }
        Map<String, Object> args = RecordedValues.object(record.get("args"), "/args", reads);
        Map<String, Object> ctx = RecordedValues.object(record.get("ctx"), "/ctx", reads);
        if (args == null || ctx == null) {
            throw new ReplayInputException(place + ": the decision record's \"args\" and \"ctx\" must be objects");
        }
        String reason = record.path("reason").asText(null);
        String id = record.path("id").asText(null);
        String approval = null;
        if (action != Action.REQUIRE_APPROVAL && (approvedCalls.contains(id) || namesAnApproval(reason))) {
            // it went to a person: replay compares what the policy said, not what the person answered
            approval = action.wireName() + (reason == null ? "" : ": " + reason);
            action = Action.REQUIRE_APPROVAL;
        }
        JsonNode user = record.path("ctx").path("user").path("id");
        calls.decision(new RecordedCall(place, time, new ToolCall(tool, args, ctx),
                user.isValueNode() && !user.isNull() ? user.asText() : null, action,
                record.path("rule").asText(null), reason, approval));
    }

    private boolean namesAnApproval(String reason) {
        if (reason == null || approvals.isEmpty()) {
            return false;
        }
        Matcher m = APPROVAL_ID.matcher(reason);
        while (m.find()) {
            if (approvals.containsKey(m.group())) {
                return true;
            }
        }
        return false;
    }

    private static String text(JsonNode record, String field, String place) throws ReplayInputException {
        JsonNode v = record.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new ReplayInputException(place + ": the decision record has no \"" + field + "\"");
        }
        return v.asText();
    }

    private static Instant time(JsonNode record, String place) throws ReplayInputException {
        String ts = text(record, "ts", place);
        try {
            return Instant.parse(ts);
        } catch (DateTimeParseException e) {
            throw new ReplayInputException(place + ": the decision record's \"ts\" is not a UTC time: " + ts);
        }
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
