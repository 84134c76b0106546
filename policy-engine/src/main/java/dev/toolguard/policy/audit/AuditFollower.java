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
        long size;
        try {
            size = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            size = 0;
        }
        return new AuditFollower(file, backlogBytes, size);
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
                // first read, or the file was replaced by a shorter one: start from the backlog
                position = Math.max(0, size - backlogBytes);
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
            while (at < size && lines.size() < maxLines) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - at));
                if (n <= 0) {
                    break;
                }
                int start = 0;
                for (int i = 0; i < n; i++) {
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
                if (lines.size() >= maxLines) {
                    // stop after the line that filled the batch: the rest of the buffer is read again next time
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
        while ((b = in.read()) >= 0) {
            position++;
            if (b == '\n') {
                return;
            }
        }
    }
}
