package dev.toolguard.policy.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the hash chain of an existing log file stands: the last intact record's hash, and whether the file
 * ends in a torn line (a writer killed mid-record) that the next writer must terminate and skip.
 *
 * @param lastHash      hash of the last intact record, or the genesis value for an empty file
 * @param needsNewline  the file does not end in a newline
 * @param tornOffset    byte offset of the torn last line, or -1 when the last line is intact
 */
record ChainTail(String lastHash, boolean needsNewline, long tornOffset) {

    /** The fixed end of every line: {@code ,"hash":"} + 64 hex digits + {@code "}}. */
    static final String HASH_MARK = ",\"hash\":\"";
    static final int HASH_TAIL_LENGTH = HASH_MARK.length() + 64 + 2;

    static ChainTail read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new ChainTail(AuditLog.GENESIS, false, -1);
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long size = raf.length();
            if (size == 0) {
                return new ChainTail(AuditLog.GENESIS, false, -1);
            }
            raf.seek(size - 1);
            boolean terminated = raf.read() == '\n';
            long end = terminated ? size - 1 : size;
            long start = lineStart(raf, end);
            String hash = intactHash(readRange(raf, start, end));
            if (hash != null) {
                return new ChainTail(hash, !terminated, -1);
            }
            if (start == 0) {
                return new ChainTail(AuditLog.GENESIS, !terminated, 0);
            }
            long prevEnd = start - 1;
            String prevHash = intactHash(readRange(raf, lineStart(raf, prevEnd), prevEnd));
            if (prevHash == null) {
                throw new IOException("the last two lines of " + file + " are not intact audit records, so the hash"
                        + " chain cannot be continued; check the file with verify-audit");
            }
            return new ChainTail(prevHash, !terminated, start);
        }
    }

    /**
     * How many intact records the file holds (lines ending the way every written record does; a torn line is
     * none), so that a continuing process numbers its records on from there. Reads the whole file once.
     */
    static long countRecords(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long records = 0;
        byte[] chunk = new byte[1 << 16];
        // only a line's first byte and its last bytes decide whether it is a record: keep those in a ring
        byte[] ring = new byte[HASH_TAIL_LENGTH + 2];
        long lineLength = 0;
        byte first = 0;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        if (endsLikeRecord(first, lineLength, ring)) {
                            records++;
                        }
                        lineLength = 0;
                        continue;
                    }
                    if (lineLength == 0) {
                        first = b;
                    }
                    ring[(int) (lineLength % ring.length)] = b;
                    lineLength++;
                }
            }
        }
        if (lineLength > 0 && endsLikeRecord(first, lineLength, ring)) {
            records++; // a whole record whose newline the writer did not get to write
        }
        return records;
    }

    private static boolean endsLikeRecord(byte first, long lineLength, byte[] ring) {
        if (lineLength < HASH_TAIL_LENGTH + 2 || first != '{') {
            return false;
        }
        byte[] line = new byte[ring.length + 1];
        line[0] = first;
        for (int i = 0; i < ring.length; i++) {
            line[1 + i] = ring[(int) ((lineLength - ring.length + i) % ring.length)];
        }
        return storedHash(line) != null;
    }

    /**
     * {@link #storedHash}, and null also for a line holding a zero byte: a record copied into the map
     * ({@link AppendRegion}) when a kill stopped the copy may end the way a record does while bytes before its end were
     * not yet written. No record holds a zero byte.
     */
    private static String intactHash(byte[] line) {
        for (byte b : line) {
            if (b == 0) {
                return null;
            }
        }
        return storedHash(line);
    }

    /**
     * The hash a line ends with, or null when the line does not end the way every written record does (so it
     * is torn or not ours).
     */
    static String storedHash(byte[] line) {
        int n = line.length;
        if (n < HASH_TAIL_LENGTH + 2 || line[n - 1] != '}' || line[n - 2] != '"' || line[0] != '{') {
            return null;
        }
        int markAt = n - HASH_TAIL_LENGTH;
        for (int i = 0; i < HASH_MARK.length(); i++) {
            if (line[markAt + i] != HASH_MARK.charAt(i)) {
                return null;
            }
        }
        int hexAt = markAt + HASH_MARK.length();
        for (int i = hexAt; i < hexAt + 64; i++) {
            byte b = line[i];
            if (!((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f'))) {
                return null;
            }
        }
        return new String(line, hexAt, 64, StandardCharsets.US_ASCII);
    }

    private static long lineStart(RandomAccessFile raf, long end) throws IOException {
        byte[] chunk = new byte[8192];
        long pos = end;
        while (pos > 0) {
            int n = (int) Math.min(chunk.length, pos);
            raf.seek(pos - n);
            raf.readFully(chunk, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (chunk[i] == '\n') {
                    return pos - n + i + 1;
                }
            }
            pos -= n;
        }
        return 0;
    }

    private static byte[] readRange(RandomAccessFile raf, long start, long end) throws IOException {
        long length = end - start;
        if (length > Integer.MAX_VALUE - 16) {
            throw new IOException("the last line of the audit log is too long to be a record (" + length + " bytes)");
        }
        byte[] bytes = new byte[(int) length];
        raf.seek(start);
        raf.readFully(bytes);
        return bytes;
    }
}
