package dev.toolguard.policy.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows an audit log as it grows, handing over each whole line once (a line still being written waits for its
 * end). Readers of the log that must stay off the decision path (the console, the fleet view's feed) use it instead
 * of being told of each record. Not thread-safe: one reader calls it.
 *
 * <p>A log being written ends in the zero bytes its writer mapped ahead of its records ({@link AppendRegion}); records
 * are copied over them. The follower stops at the first zero byte and reads on from there next time.
 */
public final class AuditFollower {

    private final Path file;
    private final long backlogBytes;
    /** Where the next read starts; -1 until the first read (then from the backlog). */
    private long position;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    private AuditFollower(Path file, long backlogBytes, long position) {
        this.file = file;
        this.backlogBytes = backlogBytes;
        this.position = position;
    }

    /**
     * Starts with the lines of the last {@code backlogBytes} of the file (from the first whole line in them). A file
     * replaced by a shorter one is read again from its backlog.
     */
    public static AuditFollower fromBacklog(Path file, long backlogBytes) {
        return new AuditFollower(file, backlogBytes, -1);
    }

    /** Hands over only the lines appended from now on (a file replaced by a shorter one: from its backlog). */
    public static AuditFollower fromEnd(Path file, long backlogBytes) {
        long end;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            // not the file's size: the zero tail past the records is where the next records go
            end = AppendRegion.writtenEnd(in);
        } catch (IOException e) {
            end = 0;
        }
        return new AuditFollower(file, backlogBytes, end);
    }

    /** The file followed. */
    public Path file() {
        return file;
    }

    /** How many bytes of the file have not been handed over yet (0 when it cannot be read). */
    public long behind() {
        try {
            return Files.exists(file) ? Math.max(0, Files.size(file) - Math.max(0, position)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Skips what is older than the last {@code backlogBytes} not handed over yet (a reader that fell far behind). */
    public void skipToBacklog() throws IOException {
        if (position >= 0 && behind() > backlogBytes) {
            position = -1;
        }
    }

    /** Up to {@code maxLines} whole lines appended since the last read, oldest first (blank ones left out). */
    public List<String> read(int maxLines) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            if (position < 0 || size < position) {
                // first read, or the file was replaced by a shorter one: start from the backlog (of the records,
                // not of the zero tail after them)
                position = Math.max(0, AppendRegion.writtenEnd(in) - backlogBytes);
                partial.reset();
                if (position > 0) {
                    in.seek(position - 1);
                    if (in.read() != '\n') {
                        skipToNextLine(in);
                    }
                }
            }
            in.seek(position);
            byte[] buffer = new byte[64 * 1024];
            long at = position;
            boolean unwritten = false;
            while (at < size && lines.size() < maxLines && !unwritten) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - at));
                if (n <= 0) {
                    break;
                }
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == 0) {
                        // the zero tail: nothing is written from here on yet; the next read starts at this byte
                        partial.write(buffer, start, i - start);
                        start = i;
                        unwritten = true;
                        break;
                    }
                    if (buffer[i] == '\n') {
                        partial.write(buffer, start, i - start);
                        String line = partial.toString(StandardCharsets.UTF_8);
                        partial.reset();
                        start = i + 1;
                        if (!line.isBlank()) {
                            lines.add(line);
                        }
                        if (lines.size() >= maxLines) {
                            break;
                        }
                    }
                }
                if (lines.size() >= maxLines || unwritten) {
                    // stop after the line that filled the batch (or at the zero tail): the rest of the buffer is
                    // read again next time
                    at += start;
                    break;
                }
                partial.write(buffer, start, n - start); // a line still being written: kept until its end comes
                at += n;
            }
            position = at;
        }
        return lines;
    }

    private void skipToNextLine(RandomAccessFile in) throws IOException {
        int b;
        while ((b = in.read()) > 0) {
            position++;
            if (b == '\n') {
                return;
            }
        }
    }
}
