package dev.toolguard.policy.audit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.locks.LockSupport;

/**
 * Where an audit file's records are appended: the file memory-mapped in chunks of {@link #CHUNK_BYTES}, so that
 * appending a record is a copy into pages the kernel owns (its page cache) rather than a {@code write(2)} per record.
 * A copy into a shared mapping is in the page cache the moment it is made: a process killed with SIGKILL leaves it
 * in the file, exactly as a returned {@code write(2)} would (SPEC §9). Not thread-safe: {@link AuditLog} calls
 * {@link #put} under its chain lock, so that the file's bytes are always the records in chain order.
 *
 * <p><b>Why copies are made under the lock.</b> Copying outside it (reserving an offset inside) would let a later
 * record be complete in the file while an earlier one is still being copied; a SIGKILL at that moment leaves a hole of
 * zeros in the middle of the file, and the next start could not tell such a hole from zeros a disk left behind.
 * Copied in order, the file is always: whole records, then at most one record cut short by a kill, then zeros. A
 * record's copy costs about as much as hashing its last block (tens of nanoseconds for a kilobyte), which is what the
 * lock already guards.
 *
 * <p><b>The zero tail.</b> A mapping can only be written where the file already has bytes, so the file is extended a
 * chunk ahead of the records, and reads as records followed by zero bytes while a process writes it. Zero bytes never
 * occur in a record (the JSON writer escapes control characters), so readers take the first zero byte as the end of
 * what was written: {@link AuditVerifier}, {@link ChainTail} and the console's tail do. {@link #close} cuts the file
 * to its last record; after a SIGKILL the next process cuts it when it opens the log ({@link #writtenEnd}).
 *
 * <p><b>Growing.</b> A thread of its own ({@code toolguard-audit-grow}) keeps {@link #AHEAD} chunks made ahead of the
 * records: each written as zeros with {@code write(2)}, mapped, and a byte of each page rewritten through the map
 * ({@link #makeChunk} says why in that order), so that appending never waits for the file system or a page fault;
 * the caller that fills the last chunk made waits for the next. Callers do not signal it per record: it is woken when
 * its lead has fallen to half, and otherwise looks every {@link #WATCH_NANOS}. Mapping is done on that thread also
 * because {@link FileChannel#map} is interruptible: an interrupt of a caller's thread there would close the channel
 * and with it the log. A chunk that cannot be made (a full disk) fails the log; every later record then fails, and
 * its call is denied.
 *
 * <p><b>A file cut under the map.</b> Truncating the file (what {@code logrotate}'s {@code copytruncate} does) takes
 * away the pages behind the map: the next copy into them faults. The JVM skips the faulting copy and does not throw
 * there: it marks the thread, and throws an {@link InternalError} the next time that thread passes from the VM back
 * into Java code, which without care is some later point of an application thread, outside any code of ours. Two
 * things keep that from happening:
 * <ul>
 *   <li>Every {@link #put} ends with a fence: an allocation the JIT cannot inline (a two-level array whose outer length
 *   it cannot know), so that the JVM's runtime makes it and, on its way back into Java, throws the error of a fault
 *   in the copy right there, inside {@link #put}, where {@link AuditLog} catches it and fails the log. Checked on
 *   JDK 17 and 25, interpreted, C1 and C2.</li>
 *   <li>The grower also watches the file's size every {@link #WATCH_NANOS}: once the file is shorter than what is
 *   mapped, {@link #put} refuses every later record without touching the map (the log fails closed and every call
 *   is denied with the reason), and nothing touches the map again. A cut that falls between that look and the
 *   grower's next write of zeros, which lengthens the file again, leaves a hole where records were: after each
 *   write the grower reads the first byte this region copied, and fails the log the same way when it is zero.</li>
 * </ul>
 * The records written between the cut and the failure are lost with the cut, as with any truncation of a live log.
 */
final class AppendRegion {

    /** Bytes mapped at a time; a killed process leaves at most {@code AHEAD + 1} of them as zero tail. */
    static final int CHUNK_BYTES = 1 << 20;
    /**
     * Chunks kept ready ahead of the one being filled: about 4,000 guarded calls' records. A grower that falls behind
     * for a moment (descheduled on a busy machine) is caught up before a caller has to wait for it.
     */
    static final int AHEAD = 4;
    private static final int PAGE_BYTES = 4096;
    /** The zeros a chunk's pages are made with, written this many bytes at a time. */
    private static final int ZEROS_BYTES = 1 << 18;
    /** How often the grower looks at the file's size (one {@code fstat}) while it has nothing to map. */
    static final long WATCH_NANOS = 1_000_000;

    private final RandomAccessFile file;
    private final FileChannel channel;
    private final String name;
    /** Where the next record goes; the file's logical end. */
    private long end;
    /** The chunk holding {@link #end}, and the file offset of its first byte. */
    private MappedByteBuffer current;
    private long currentStart;
    /**
     * The chunks after {@link #current}, made (written, mapped and touched) by the grower, in file order: a ring of
     * {@link #AHEAD} slots, filled by the grower alone and emptied by {@link #put} alone (under the chain lock).
     * {@link #made} and {@link #taken} count chunks; their volatile writes publish a slot to the other side.
     */
    private final MappedByteBuffer[] ready = new MappedByteBuffer[AHEAD];
    private volatile long made;
    private volatile long taken;
    /** Where the first {@link #put} began (the first byte of a record, never zero), or -1 before it ended. */
    private volatile long recordedAt = -1;
    private volatile IOException growFailure;
    /** Set once the file was found shorter than the map: from then on nothing is copied into it. */
    private volatile IOException cut;
    /** The file offset after the last chunk mapped (by the constructor or the grower). */
    private volatile long mappedEnd;
    private volatile boolean stopping;
    private final Thread grower;
    /**
     * The fence's outer length: a field the JIT cannot take for a constant, so that {@code new byte[fenceRows][0]} is
     * always made by the JVM's runtime (see the class comment); and where the fence is kept, so that it is not
     * optimised away.
     */
    private int fenceRows = 1;
    private Object fence;

    /**
     * Maps the chunk holding {@code end} (the end of the file's records, see {@link #writtenEnd}) and starts the thread
     * that keeps the next chunks ready.
     */
    AppendRegion(RandomAccessFile file, String name, long end) throws IOException {
        this.file = file;
        this.channel = file.getChannel();
        this.name = name;
        this.end = end;
        this.currentStart = end - end % CHUNK_BYTES;
        // the first chunk from the end on is made as the grower makes every chunk (see makeChunk): zeros written, then
        // its pages touched (each byte rewritten with itself, as the page holding the end may hold records)
        writeZeros(end, currentStart + CHUNK_BYTES, new byte[ZEROS_BYTES]);
        this.current = map(currentStart);
        this.mappedEnd = currentStart + CHUNK_BYTES;
        try {
            for (int i = (int) (end - currentStart) / PAGE_BYTES * PAGE_BYTES; i < CHUNK_BYTES; i += PAGE_BYTES) {
                current.put(i, current.get(i));
            }
            fence = new byte[fenceRows][0];
        } catch (InternalError e) {
            // a fault on a page of the map (a full disk, the file cut meanwhile): the log does not open
            throw new IOException("cannot write into the map of " + name + ": " + e.getMessage(), e);
        }
        this.grower = new Thread(this::grow, "toolguard-audit-grow");
        grower.setDaemon(true);
        grower.start();
    }

    /**
     * Copies {@code length} bytes of {@code bytes} to the end of the file. When this returns they are in the page
     * cache. Waits for the next chunk when the record reaches past the current one.
     *
     * @throws IOException when a chunk could not be mapped; nothing of the record was copied past what was mapped
     */
    void put(byte[] bytes, int length) throws IOException {
        IOException broken = cut;
        if (broken != null) {
            // one volatile read per record: the map of a file cut shorter is never touched again
            throw broken;
        }
        long startsAt = end;
        int from = 0;
        while (from < length) {
            int at = (int) (end - currentStart);
            if (at == CHUNK_BYTES) {
                advance();
                at = 0;
            }
            int n = Math.min(length - from, CHUNK_BYTES - at);
            current.put(at, bytes, from, n);
            from += n;
            end += n;
        }
        // the fence: a fault in the copy above is thrown here, on this thread, as an InternalError (class comment)
        fence = new byte[fenceRows][0];
        if (recordedAt < 0) {
            // only once the record's first byte is in the file: the grower reads it there to find a hidden cut, and a
            // zero it read before the copy would fail a log that was never cut
            recordedAt = startsAt;
        }
    }

    /** Chunks made and not yet taken: the grower's lead, at most {@link #AHEAD}. */
    int chunksReady() {
        return (int) (made - taken);
    }

    /** The file offset after the last record copied. */
    long end() {
        return end;
    }

    /**
     * Takes back a copy that did not finish (a {@link StackOverflowError} inside {@link #put} on a deep stack): the next
     * record is copied from {@code mark} on, over what this one left. Returns false when the copy had already moved
     * to the next chunk, which cannot be taken back. The bytes left past the end until the next record covers them
     * read as a record cut short before the zero tail, to every reader.
     */
    boolean rewind(long mark) {
        if (mark < currentStart) {
            return false;
        }
        end = mark;
        return true;
    }

    /** Forces every record copied so far to the device ({@code fsync}; it covers pages written through the map). */
    void force() throws IOException {
        // FileDescriptor.sync() rather than FileChannel.force() or MappedByteBuffer.force(): not interruptible
        file.getFD().sync();
    }

    /** Stops the grower and cuts the file to its last record, so that a closed log has no zero tail. */
    void close(boolean sync) {
        stopping = true;
        LockSupport.unpark(grower);
        try {
            grower.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (!grower.isAlive() && cut == null) {
                // never past a cut (it would lengthen the copy someone took the records into), and never while the grower may still touch pages past the new end (they would fault)
                file.setLength(end);
            }
            if (sync) {
                force();
            }
        } catch (IOException ignored) {
            // the next process to open the file cuts the zero tail; every record is already in the file
        }
    }

    private void advance() throws IOException {
        long slot = taken;
        if (made == slot) {
            LockSupport.unpark(grower);
            while (made == slot) {
                IOException failed = growFailure;
                if (failed != null) {
                    throw new IOException("cannot extend " + name + ": " + failed.getMessage(), failed);
                }
                if (!grower.isAlive()) {
                    // never wait for a chunk no thread will make: the log fails, and the call is denied
                    throw new IOException("cannot extend " + name + ": the thread that maps it stopped");
                }
                LockSupport.parkNanos(this, 20_000);
            }
        }
        int at = (int) (slot % AHEAD);
        current = ready[at];
        ready[at] = null;
        currentStart += CHUNK_BYTES;
        taken = slot + 1;
        // no signal per record, nor per chunk while the grower is ahead: it is woken when it has fallen to half
        // its lead, and otherwise finds the free slots when it next looks (every WATCH_NANOS)
        if (made - taken <= AHEAD / 2) {
            LockSupport.unpark(grower);
        }
    }

    /** The grower's loop: keeps {@link #AHEAD} chunks made past the current one. */
    private void grow() {
        try {
            growChunks();
        } catch (Throwable t) {
            // whatever stops this thread fails the log rather than leaving writers waiting; a fault on a mapped page
            // (a cut, a full disk) means the current chunk is not safe either, so put() refuses from now on
            if (!watchCut()) { // a cut is the likeliest cause of a fault here: named as such when it was one
                growFailure = new IOException(t.toString(), t);
                cut = growFailure;
            }
        }
    }

    private void growChunks() {
        long start = currentStart + CHUNK_BYTES;
        byte[] zeros = new byte[ZEROS_BYTES];
        while (!stopping) {
            if (watchCut()) {
                return;
            }
            long n = made;
            if (n - taken >= AHEAD) {
                LockSupport.parkNanos(this, WATCH_NANOS);
                continue;
            }
            try {
                MappedByteBuffer chunk = makeChunk(start, zeros);
                if (chunk == null) {
                    return; // stopping, or the file was cut meanwhile (then cut is set)
                }
                ready[(int) (n % AHEAD)] = chunk;
                mappedEnd = start + CHUNK_BYTES;
                made = n + 1;
                start += CHUNK_BYTES;
            } catch (IOException | RuntimeException | InternalError e) {
                // InternalError: the JVM's report of a fault on a mapped page (a full disk)
                if (!watchCut()) {
                    growFailure = e instanceof IOException io ? io : new IOException(e.toString(), e);
                    cut = growFailure;
                }
                return;
            }
        }
    }

    /**
     * Makes the chunk at {@code start}: its bytes written as zeros, then mapped, then a byte of each page rewritten
     * through the map, so that no copy into it takes a page fault, and none holds the chain lock through one.
     * Writing the zeros first halves what a page costs: one {@code write(2)} makes the pages of a quarter mebibyte
     * in the page cache (about 1 µs a page), where a page made by touching a hole of the map costs a fault that
     * allocates (12 to 15 µs a page on the development machine); the touch of a page that exists is a lighter fault
     * (5 to 7 µs), which a shared file map needs once per page before it may be written (docs/performance.md).
     * Returns null when the region stops or the file was found cut.
     */
    private MappedByteBuffer makeChunk(long start, byte[] zeros) throws IOException {
        writeZeros(start, start + CHUNK_BYTES, zeros);
        long probe = recordedAt;
        if (probe >= 0 && byteAt(probe) == 0) {
            // the file was cut between the size watch and the write, which lengthened it again with a hole where
            // records were: they are gone from it all the same (a record never holds a zero byte)
            cut = new IOException(cutMessage(0));
            growFailure = cut;
            return null;
        }
        MappedByteBuffer chunk = map(start);
        for (int i = 0; i < CHUNK_BYTES && !stopping; i += PAGE_BYTES) {
            chunk.put(i, (byte) 0);
        }
        fence = new byte[fenceRows][0]; // a fault while touching is thrown here, on this thread
        return stopping ? null : chunk;
    }

    /** Writes zeros over {@code [from, to)}: lengthens the file and makes its pages in the page cache. */
    private void writeZeros(long from, long to, byte[] zeros) throws IOException {
        // RandomAccessFile rather than a FileChannel: an interrupt of this thread must not close the log. Only this
        // thread moves the file pointer once the region is made (the opener did, before).
        file.seek(from);
        for (long at = from; at < to; ) {
            int n = (int) Math.min(zeros.length, to - at);
            file.write(zeros, 0, n);
            at += n;
        }
    }

    private int byteAt(long offset) throws IOException {
        file.seek(offset);
        return Math.max(file.read(), 0);
    }

    /**
     * Whether the file is shorter than the map (cut under it, see the class comment); then {@link #cut} is set. One
     * {@code fstat}, on the grower's thread, never on a caller's.
     */
    private boolean watchCut() {
        long size;
        try {
            size = file.length();
        } catch (IOException e) {
            size = -1;
        }
        if (size >= mappedEnd) {
            return false;
        }
        cut = new IOException(cutMessage(Math.max(size, 0)));
        growFailure = cut;
        return true;
    }

    private String cutMessage(long size) {
        return name + " was cut to " + size + " bytes under its writer (truncated, as logrotate's copytruncate does;"
                + " the mapped layout must be rotated by renaming, docs/audit-log.md): the log is closed to further"
                + " records until the process restarts";
    }

    /** The failure that stopped this region: a cut under the map, or a chunk that could not be made; else null. */
    IOException failure() {
        return growFailure;
    }

    private MappedByteBuffer map(long start) throws IOException {
        // extends the file to start + CHUNK_BYTES with zeros (a sparse extension: no blocks until written)
        return channel.map(FileChannel.MapMode.READ_WRITE, start, CHUNK_BYTES);
    }

    /**
     * The end of the records in a file a writer may have left with a zero tail (killed before it could cut it): the
     * offset after the last byte that is not zero. A record cut short by the kill ends there too, torn, and is
     * handled as any torn last line ({@link ChainTail}).
     */
    static long writtenEnd(RandomAccessFile file) throws IOException {
        long pos = file.length();
        byte[] chunk = new byte[1 << 16];
        while (pos > 0) {
            int n = (int) Math.min(chunk.length, pos);
            file.seek(pos - n);
            file.readFully(chunk, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                if (chunk[i] != 0) {
                    return pos - n + i + 1;
                }
            }
            pos -= n;
        }
        return 0;
    }
}
