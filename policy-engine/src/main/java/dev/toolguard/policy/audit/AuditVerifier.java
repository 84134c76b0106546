package dev.toolguard.policy.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks the hash chain of an audit log written by {@link AuditLog} and names the first bad line.
 *
 * <p>For each line: it must be a JSON object ending in {@code ,"hash":"<64 hex>"}}; the SHA-256 of the line
 * without that member (the line up to it, then {@code }}) must equal the hash (else the record was
 * modified); its {@code prev} must equal the previous record's hash, or {@link AuditLog#GENESIS} on the first
 * line (else records were deleted or reordered).
 *
 * <p>Torn lines, left when a writer was killed mid-record: a torn last line without a newline is reported
 * as a note, not a failure (it was never acknowledged, so no acknowledged record is missing). A torn line
 * inside the file is accepted only when the very next record is the {@code start} record of the process
 * that recovered it, naming its byte offset in {@code torn_offset} and linking to the record before it.
 *
 * <p>The zero tail: a log being written (or left by a writer killed before it could cut it) ends in zero bytes, the
 * part of the file mapped ahead of its records ({@link AppendRegion}). Zero bytes that run to the end of the file are
 * a note, as is a record cut short before them; zero bytes with anything but zeros after them are a failure.
 *
 * <p>Each intact record must also have the fields of its type (SPEC §9, §13.11), so that a record emptied of
 * its content and re-chained does not pass; a {@code checkpoint} must count exactly the records up to it.
 * Given an {@link AuditAnchor}, the record at the anchored count must exist and carry the anchored hash: a log
 * whose last records were cut away at a line boundary still chains perfectly, and only the anchor shows it.
 */
public final class AuditVerifier {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AuditVerifier() {
    }

    public static AuditVerification verify(Path file) {
        return verify(file, null);
    }

    /** Checks the file and, when {@code anchor} is not null, that it still holds the anchored record. */
    public static AuditVerification verify(Path file, AuditAnchor anchor) {
        try (InputStream in = Files.newInputStream(file)) {
            return verify(in, anchor);
        } catch (IOException e) {
            return AuditVerification.failed(0, 0, AuditVerification.Problem.UNREADABLE,
                    "cannot read " + file + ": " + e.getMessage(), List.of());
        }
    }

    public static AuditVerification verify(InputStream input) {
        return verify(input, null);
    }

    /**
     * Checks {@code file} as the continuation of a log whose part before it (a rotated log's older file) ended with the
     * record hashed {@code prevHash}, holding {@code recordsBefore} records: its first record must link to that hash,
     * and its checkpoints count from there. The record numbers of the result are this file's own.
     */
    public static AuditVerification verifyContinuing(Path file, String prevHash, long recordsBefore) {
        try (InputStream in = Files.newInputStream(file)) {
            return verify(in, null, prevHash, recordsBefore);
        } catch (IOException e) {
            return AuditVerification.failed(0, 0, AuditVerification.Problem.UNREADABLE,
                    "cannot read " + file + ": " + e.getMessage(), List.of());
        }
    }

    public static AuditVerification verify(InputStream input, AuditAnchor anchor) {
        return verify(input, anchor, AuditLog.GENESIS, 0);
    }

    private static AuditVerification verify(InputStream input, AuditAnchor anchor, String startPrev, long recordsBefore) {
        List<String> notes = new ArrayList<>();
        MessageDigest sha256 = sha256();
        String expectedPrev = startPrev;
        long lineNo = 0;
        long records = 0;
        long offset = 0;
        long tornLine = 0;
        long tornOffset = -1;
        try (InputStream in = input) {
            Lines lines = new Lines(in);
            while (true) {
                byte[] line = lines.next();
                if (line == null) {
                    break;
                }
                boolean terminated = lines.terminated();
                lineNo++;
                long lineOffset = offset;
                offset += line.length + (terminated ? 1 : 0);

                String storedHash = ChainTail.storedHash(line);
                JsonNode record = storedHash == null ? null : parse(line);
                int zero = record == null ? indexOfZero(line) : -1;
                if (zero >= 0) {
                    Lines.Skipped rest = lines.skipZeros(line, zero);
                    if (rest == Lines.Skipped.TO_END) {
                        if (zero > 0) {
                            notes.add("line " + lineNo + " is an incomplete record (being written, or the writer"
                                    + " stopped mid-write); it was never acknowledged");
                        }
                        notes.add("the file ends in zero bytes from offset " + (lineOffset + zero) + ": space its"
                                + " writer mapped ahead of its records (cut when it closes the log, or by the next"
                                + " process to open it)");
                        break;
                    }
                    if (rest == Lines.Skipped.ZEROS) {
                        return AuditVerification.failed(records, lineNo, AuditVerification.Problem.UNPARSEABLE,
                                "zero bytes inside the log (not at its end): records may be missing here", notes);
                    }
                    // NONE: only this line holds zeros (a record a kill cut short): the torn-line rules below apply
                }
                if (record == null) {
                    if (!terminated) {
                        notes.add("line " + lineNo + " is an incomplete record (the writer stopped mid-write);"
                                + " it was never acknowledged");
                        break;
                    }
                    if (tornOffset >= 0) {
                        return AuditVerification.failed(records, tornLine, AuditVerification.Problem.UNPARSEABLE,
                                "not a complete audit record", notes);
                    }
                    tornLine = lineNo;
                    tornOffset = lineOffset;
                    continue;
                }
                if (tornOffset >= 0) {
                    JsonNode recovered = record.get("torn_offset");
                    if (!"start".equals(text(record, "type")) || recovered == null
                            || recovered.asLong(-2) != tornOffset) {
                        return AuditVerification.failed(records, tornLine, AuditVerification.Problem.UNPARSEABLE,
                                "not a complete audit record", notes);
                    }
                    notes.add("line " + tornLine + " is a record torn by a crash; the process that started at line "
                            + lineNo + " recovered it");
                    tornOffset = -1;
                }
                int hashMark = line.length - ChainTail.HASH_TAIL_LENGTH;
                sha256.reset();
                sha256.update(line, 0, hashMark);
                sha256.update((byte) '}');
                String actual = HexFormat.of().formatHex(sha256.digest());
                if (!actual.equals(storedHash)) {
                    return AuditVerification.failed(records, lineNo, AuditVerification.Problem.MODIFIED,
                            "hash mismatch: the record was modified after it was written", notes);
                }
                String prev = text(record, "prev");
                if (!expectedPrev.equals(prev)) {
                    String why = lineNo == 1 && records == 0
                            ? "prev mismatch: the first record does not start a chain (records before it were deleted)"
                            : "prev mismatch: the previous record is not the one this record was chained to"
                              + " (records were deleted or reordered)";
                    return AuditVerification.failed(records, lineNo, AuditVerification.Problem.BROKEN_LINK, why,
                            notes);
                }
                String misshapen = RecordShape.problem(record, recordsBefore + records + 1);
                if (misshapen != null) {
                    return AuditVerification.failed(records, lineNo, AuditVerification.Problem.MALFORMED, misshapen,
                            notes);
                }
                expectedPrev = storedHash;
                records++;
                if (anchor != null && records == anchor.count() && !storedHash.equals(anchor.hash())) {
                    return AuditVerification.failed(records - 1, lineNo, AuditVerification.Problem.NOT_ANCHORED,
                            "record " + records + " has hash " + storedHash + ", not the anchored " + anchor.hash()
                            + ": the log was rewritten after the anchor was taken", notes);
                }
            }
        } catch (IOException e) {
            return AuditVerification.failed(records, lineNo + 1, AuditVerification.Problem.UNREADABLE,
                    "cannot read: " + e.getMessage(), notes);
        }
        if (tornOffset >= 0) {
            return AuditVerification.failed(records, tornLine, AuditVerification.Problem.UNPARSEABLE,
                    "not a complete audit record", notes);
        }
        if (anchor != null && records < anchor.count()) {
            return AuditVerification.failed(records, lineNo + 1, AuditVerification.Problem.CUT,
                    "the log ends after " + records + " records, but the anchor " + anchor + " names record "
                    + anchor.count() + ": the log was cut (" + (anchor.count() - records)
                    + " records or more are missing from its end)", notes);
        }
        return AuditVerification.passed(records, notes);
    }

    private static int indexOfZero(byte[] line) {
        for (int i = 0; i < line.length; i++) {
            if (line[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Splits a stream into lines at {@code \n}, reading in large chunks. */
    private static final class Lines {

        /** What {@link #skipZeros} found after a line holding a zero byte. */
        enum Skipped { TO_END, ZEROS, NONE }
        private final InputStream in;
        private final byte[] chunk = new byte[1 << 16];
        private int pos;
        private int limit;
        private boolean terminated;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);

        Lines(InputStream in) {
            this.in = in;
        }

        /** The next line without its newline, or null at the end of the stream. */
        byte[] next() throws IOException {
            line.reset();
            while (true) {
                if (pos == limit) {
                    limit = in.read(chunk);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        terminated = false;
                        return line.size() == 0 ? null : line.toByteArray();
                    }
                }
                int start = pos;
                while (pos < limit && chunk[pos] != '\n') {
                    pos++;
                }
                line.write(chunk, start, pos - start);
                if (pos < limit) {
                    pos++;
                    terminated = true;
                    return line.toByteArray();
                }
            }
        }

        /**
         * After {@code line} (just returned, its first zero byte at {@code zero}): whether only zero bytes and newlines
         * follow to the end of the stream ({@code TO_END}; the line itself must be zeros from {@code zero} on), or
         * some did before other bytes ({@code ZEROS}, consumed), or none did ({@code NONE}, nothing consumed).
         */
        Skipped skipZeros(byte[] line, int zero) throws IOException {
            boolean zerosToLineEnd = true;
            for (int i = zero; i < line.length; i++) {
                zerosToLineEnd &= line[i] == 0;
            }
            boolean skipped = false;
            while (true) {
                if (pos == limit) {
                    limit = in.read(chunk);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return zerosToLineEnd ? Skipped.TO_END : skipped ? Skipped.ZEROS : Skipped.NONE;
                    }
                }
                byte b = chunk[pos];
                if (b != 0 && b != '\n') {
                    return skipped ? Skipped.ZEROS : Skipped.NONE;
                }
                pos++;
                skipped = true;
            }
        }

        /** Whether the line last returned ended with a newline. */
        boolean terminated() {
            return terminated;
        }
    }

    private static JsonNode parse(byte[] line) {
        try {
            JsonNode node = JSON.readTree(line);
            return node != null && node.isObject() && node.get("prev") != null && node.get("prev").isTextual()
                    ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }
}
