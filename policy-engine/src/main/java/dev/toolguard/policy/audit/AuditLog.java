package dev.toolguard.policy.audit;

import dev.toolguard.policy.decide.Decision;
import dev.toolguard.policy.decide.ToolCall;
import dev.toolguard.policy.values.JsonWriter;
import dev.toolguard.policy.values.Redaction;

import java.io.Closeable;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hash-chained, append-only audit log of SPEC §9: one JSON object per line, UTF-8.
 *
 * <p>Every line ends {@code ,"prev":"<64 hex>","hash":"<64 hex>"}} and a newline. {@code hash} is the SHA-256
 * (lower-case hex) of the line's bytes with the {@code ,"hash":"<64 hex>"} member removed, that is the line
 * up to and including the closing quote of {@code prev}, followed by {@code }}; the hashed text is itself the
 * JSON record without its hash. {@code prev} is the previous record's hash, {@link #GENESIS} for the first
 * record of a file. A new process continues the chain from the file's last record.
 *
 * <p>{@link #append} returns only once the whole line was handed to the OS (so it survives SIGKILL of this
 * process), and with {@code fsync: always} once it was forced to the device. Every record is: the decision
 * before the tool body runs, the outcome before the guarded call returns to its caller. Thread-safe.
 *
 * <p>Two layouts write the same records ({@link AuditLayout}). In the default {@code append} layout writing is a
 * group commit: records are linked and queued under a short lock, and whichever thread needs its record written
 * hands everything queued so far to the OS in one write, so concurrent callers share writes instead of queueing
 * for one each.
 *
 * <p>In the opt-in {@code mapped} layout the file is written through a memory map ({@link AppendRegion}): a copy into
 * a shared mapping is in the kernel's page cache as it is made, which is what SIGKILL durability needs, and it is no
 * system call, so concurrent callers do not queue for the file. Serializing a record and hashing its body (nearly all
 * of its SHA-256) happen outside any lock in both layouts; in the mapped one the chain lock covers only what must
 * follow the chain's order: writing the previous hash into the record, hashing that last block, and copying the line
 * into the map. Standard error, which cannot be mapped, is always written in the append layout.
 */
public final class AuditLog implements AuditSink, Closeable {

    /** {@code prev} of the first record in a file. */
    public static final String GENESIS = "0".repeat(64);

    private static final byte[] PREV_MARK = ",\"prev\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HASH_MARK = ChainTail.HASH_MARK.getBytes(StandardCharsets.US_ASCII);
    /** Bytes appended to a serialized body: prev member, hash member, closing brace, newline. */
    private static final int SUFFIX_BYTES = PREV_MARK.length + 64 + 1 + HASH_MARK.length + 64 + 2 + 1;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** A batch buffer grown past this is not kept for the next batch. */
    private static final int MAX_KEPT_BATCH_BYTES = 1 << 18;
    /** How long a thread spins for the writer's turn before it waits in sleeps of {@link #PARK_NANOS}. */
    private static final long SPIN_NANOS = 50_000;
    private static final long PARK_NANOS = 20_000;
    /** The longest a write waits for announced records to join it (see {@link #expectDecision}). */
    private static final long SHARE_WAIT_NANOS = 20_000;
    /** Call ids a thread takes from the shared counter at a time, so that threads do not contend on it. */

    private final String target;
    /** The append layout's file, or standard error; null in the mapped layout. */
    private final FileOutputStream out;
    /** The mapped layout's file and its append region; null in the append layout. */
    private final RandomAccessFile file;
    private final AppendRegion region;
    /** The failure of a record whose copy broke off across chunks; made in advance, as it is set on a full stack. */
    private final AuditWriteException cutShort;
    /** Closes a mapped log when the JVM exits, so that a normal exit leaves no zero tail; null otherwise. */
    private final Thread closeAtExit;
    private final FileLock fileLock;
    private final FsyncMode fsync;
    private final Clock clock;
    /** Each thread's writer, digest and hash buffer: one thread-local look-up per record, not one per tool. */
    private final ThreadLocal<Scratch> scratch;
    /** Guards the chain ({@link #prev}) and the queue of linked records not yet written. */
    private final Object chainLock = new Object();
    /**
     * 1 while a thread hands a batch to the OS (holds the writer's turn), so that batches reach the file in chain
     * order. Released by a plain volatile store, never a method call: a writer
     * that ran out of stack (a guarded call near the end of the stack) must still give the turn back, or every
     * later write would wait for it forever.
     */
    private volatile int writing;
    private static final java.lang.invoke.VarHandle WRITING;

    static {
        try {
            WRITING = java.lang.invoke.MethodHandles.lookup().findVarHandle(AuditLog.class, "writing", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private final byte[] prev = new byte[64];
    private byte[] queue = new byte[8192];
    private int queued;
    /** Sequence number of the last record linked into the chain (guarded by chainLock). */
    private long linked;
    /** Sequence number of the last record handed to the OS. */
    private volatile long written;
    /** The batch buffer not in use as the queue (guarded by {@link #writing}). */
    private byte[] spare = new byte[8192];
    /** Threads that announced a decision record they have not linked yet. */
    private final java.util.concurrent.atomic.AtomicInteger composing = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** Forces batches ({@code fsync: batch}) and writes checkpoints; null when there is neither. */
    private final ScheduledExecutorService timers;
    /** Intact records the file held when this process opened it; record numbers continue from there. */
    private final long recordsBefore;
    private final CallIds ids = new CallIds();
    private volatile AuditWriteException failure;
    private volatile boolean closed;

    private AuditLog(String target, FileOutputStream out, RandomAccessFile file, AppendRegion region,
                     FileLock fileLock, FsyncMode fsync, AuditConfig config, Clock clock, String lastHash,
                     long recordsBefore) {
        this.target = target;
        this.recordsBefore = recordsBefore;
        this.out = out;
        this.file = file;
        this.region = region;
        this.closeAtExit = region == null ? null : new Thread(this::close, "toolguard-audit-close-at-exit");
        this.cutShort = new AuditWriteException("a record's copy into audit log " + target + " broke off", null);
        this.fileLock = fileLock;
        this.fsync = fsync;
        this.clock = clock;
        Redaction redaction = config.redaction();
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(new JsonWriter(redaction)));
        System.arraycopy(lastHash.getBytes(StandardCharsets.US_ASCII), 0, prev, 0, 64);
        boolean checkpoints = !config.checkpointEvery().isZero();
        if (fsync == FsyncMode.BATCH || checkpoints) {
            timers = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "toolguard-audit-timer");
                t.setDaemon(true);
                return t;
            });
        } else {
            timers = null;
        }
        if (fsync == FsyncMode.BATCH) {
            long every = Math.max(1, config.batchInterval().toMillis());
            timers.scheduleWithFixedDelay(this::forceIfDirty, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** Starts the checkpoints once the start record is written, so that a process's records begin with it. */
    private void scheduleCheckpoints(Duration every) {
        if (!every.isZero()) {
            long millis = Math.max(1, every.toMillis());
            timers.scheduleAtFixedRate(this::checkpointOnTimer, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Opens (or creates) the log with the system clock; see {@link #open(AuditConfig, Map, Clock)}. */
    public static AuditLog open(AuditConfig config, Map<String, Object> startDetails) throws AuditWriteException {
        return open(config, startDetails, Clock.systemUTC());
    }

    /**
     * Opens the log, continues its chain, and writes a {@code start} record carrying {@code startDetails}.
     * A torn last line (a writer killed mid-record) is terminated with a newline and skipped by the chain;
     * the start record names its byte offset as {@code torn_offset}. Only one process may write a file at a
     * time (an OS file lock is held while open).
     *
     * @throws AuditWriteException when the file cannot be opened, locked or continued
     */
    public static AuditLog open(AuditConfig config, Map<String, Object> startDetails, Clock clock)
            throws AuditWriteException {
        AuditLog log;
        Long tornOffset = null;
        if (config.toStandardError()) {
            // Standard error can be neither forced nor re-read, so its chain starts afresh in every process.
            log = new AuditLog("standard error", new FileOutputStream(FileDescriptor.err), null, null, null,
                    FsyncMode.NEVER, config, clock, GENESIS, 0);
        } else if (config.layout() == AuditLayout.MAPPED) {
            Path file = Path.of(config.file()).toAbsolutePath();
            RandomAccessFile raf = null;
            try {
                refuseUnlessRegularOrAbsent(file);
                Path parent = file.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                raf = new RandomAccessFile(file.toFile(), "rw");
                FileLock lock = raf.getChannel().tryLock();
                if (lock == null) {
                    throw new IOException("another process is writing it");
                }
                // a process killed while writing left the zero tail of its map (AppendRegion): cut it first, so
                // that the file ends with its last record, or with the record the kill cut short
                long end = AppendRegion.writtenEnd(raf);
                if (end < raf.length()) {
                    raf.setLength(end);
                }
                ChainTail tail = ChainTail.read(file);
                if (tail.needsNewline()) {
                    raf.seek(end);
                    raf.write('\n');
                    end++;
                }
                if (tail.tornOffset() >= 0) {
                    tornOffset = tail.tornOffset();
                }
                long records = ChainTail.countRecords(file);
                AppendRegion region = new AppendRegion(raf, file.toString(), end);
                log = new AuditLog(file.toString(), null, raf, region, lock, config.fsync(), config, clock,
                        tail.lastHash(), records);
            } catch (IOException | OverlappingFileLockException e) {
                closeQuietly(raf);
                String why = e instanceof OverlappingFileLockException ? "it is already open in this process"
                        : e.getMessage();
                throw new AuditWriteException("cannot open audit log " + file + ": " + why, e);
            }
        } else {
            Path file = Path.of(config.file()).toAbsolutePath();
            FileOutputStream out = null;
            try {
                refuseUnlessRegularOrAbsent(file);
                Path parent = file.getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                out = new FileOutputStream(file.toFile(), true);
                FileLock lock = out.getChannel().tryLock();
                if (lock == null) {
                    throw new IOException("another process is writing it");
                }
                ChainTail tail = ChainTail.read(file);
                if (tail.needsNewline()) {
                    out.write('\n');
                }
                if (tail.tornOffset() >= 0) {
                    tornOffset = tail.tornOffset();
                }
                log = new AuditLog(file.toString(), out, null, null, lock, config.fsync(), config, clock,
                        tail.lastHash(), ChainTail.countRecords(file));
            } catch (IOException | OverlappingFileLockException e) {
                closeQuietly(out);
                String why = e instanceof OverlappingFileLockException ? "it is already open in this process"
                        : e.getMessage();
                throw new AuditWriteException("cannot open audit log " + file + ": " + why, e);
            }
        }
        try {
            log.append(new StartRecord(startDetails, tornOffset));
        } catch (AuditWriteException e) {
            log.close();
            throw e;
        }
        log.scheduleCheckpoints(config.checkpointEvery());
        if (log.closeAtExit != null) {
            // a call still running while the JVM exits is then refused (the log is closed), never written past the
            // end the file is cut to
            Runtime.getRuntime().addShutdownHook(log.closeAtExit);
        }
        return log;
    }

    /**
     * Opening a FIFO for writing blocks until a reader comes, and a device, directory or link is not a log that
     * can be continued and verified, so only a regular file (or nothing yet) is opened at all.
     */
    private static void refuseUnlessRegularOrAbsent(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException absent) {
            return;
        }
        if (attributes.isRegularFile()) {
            return;
        }
        String what = attributes.isDirectory() ? "a directory"
                : attributes.isSymbolicLink() ? "a symbolic link"
                : "not a regular file (a FIFO, socket or device)";
        throw new IOException("it is " + what + "; the audit log must be a regular file, or \"-\" for standard"
                + " error");
    }

    /** A new call id, unique across processes; pass it to both the decision and the outcome record. */
    public String newId() {
        return ids.next();
    }

    /** Appends the write-ahead record of a decision. */
    public void decision(String id, ToolCall call, String method, Decision decision) throws AuditWriteException {
        append(new DecisionRecord(id, call.tool(), method, call.args(), call.ctx(), decision));
    }

    /**
     * Says that this thread is deciding a call and will soon append its decision with {@link #expectedDecision}
     * (or {@link #withdraw} the announcement). A thread about to write waits a few microseconds for announced
     * records, so that concurrent calls share one write to the OS instead of queueing for one each (group
     * commit, as databases do with concurrent commits). A lone caller never waits.
     */
    public void expectDecision() {
        if (region == null) { // the mapped layout has no write to share: nothing to wait for
            composing.incrementAndGet();
        }
    }

    /** Takes back an {@link #expectDecision} whose record will not come soon (the call waits for an approval). */
    public void withdraw() {
        if (region == null) {
            composing.decrementAndGet();
        }
    }

    /** {@link #decision} for a call announced with {@link #expectDecision}; ends the announcement in any case. */
    public void expectedDecision(String id, ToolCall call, String method, Decision decision) throws AuditWriteException {
        long seq;
        try {
            seq = link(new DecisionRecord(id, call.tool(), method, call.args(), call.ctx(), decision));
        } finally {
            if (region == null) {
                composing.decrementAndGet();
            }
        }
        writeThrough(seq);
        if (fsync == FsyncMode.ALWAYS) {
            force();
        }
    }

    /** Appends the outcome of an allowed call; {@code thrown} is null when the body returned. */
    public void outcome(String id, Throwable thrown, long durationMs) throws AuditWriteException {
        append(thrown == null ? OutcomeRecord.ok(id, durationMs) : OutcomeRecord.failed(id, thrown, durationMs));
    }

    /**
     * Appends one record. When this returns normally the line was handed to the OS in full, with every record
     * linked before it (and, with {@code fsync: always}, forced to the device). After a failed write the log
     * refuses every later record, because a half-written line would leave the chain ambiguous; reopening
     * recovers.
     */
    @Override
    public void append(AuditRecord record) throws AuditWriteException {
        long seq = link(record);
        writeThrough(seq);
        if (fsync == FsyncMode.ALWAYS) {
            force();
        }
    }

    /** Serializes and links one record into the chain and the write queue; returns its sequence number. */
    private long link(AuditRecord record) throws AuditWriteException {
        AuditWriteException failed = failure;
        if (failed != null) {
            throw unusable(failed);
        }
        if (closed) {
            throw new AuditWriteException("audit log " + target + " is closed");
        }
        Scratch own = scratch.get();
        JsonWriter json = own.json.reset();
        try {
            json.beginObject().field("type", record.type()).name("ts");
            json.timestamp(clock.instant());
            record.writeFields(json);
        } catch (RuntimeException e) {
            throw new AuditWriteException("cannot serialize a " + record.type() + " record: " + e, e);
        }
        int bodyLength = json.length();
        byte[] line = json.reserve(SUFFIX_BYTES);
        MessageDigest digest = own.digest;
        digest.reset();
        digest.update(line, 0, bodyLength);
        long seq;
        synchronized (chainLock) {
            // Queue order must equal chain order, so linking, hashing the short tail and queueing share one
            // critical section; the body was serialized and hashed before it, outside.
            if (closed) {
                throw new AuditWriteException("audit log " + target + " is closed");
            }
            failed = failure;
            if (failed != null) {
                throw unusable(failed);
            }
            int at = put(line, bodyLength, PREV_MARK);
            System.arraycopy(prev, 0, line, at, 64);
            at += 64;
            line[at++] = '"';
            digest.update(line, bodyLength, at - bodyLength);
            digest.update((byte) '}');
            byte[] hash = own.hash;
            try {
                digest.digest(hash, 0, hash.length);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException("a SHA-256 digest is 32 bytes", e);
            }
            at = put(line, at, HASH_MARK);
            int hashAt = at;
            for (byte b : hash) {
                line[at++] = HEX[(b >> 4) & 0xF];
                line[at++] = HEX[b & 0xF];
            }
            line[at++] = '"';
            line[at++] = '}';
            line[at++] = '\n';
            if (region != null) {
                copyIntoRegion(line, at);
                System.arraycopy(line, hashAt, prev, 0, 64);
                seq = ++linked;
                written = seq; // with the OS now: writeThrough has nothing to do
                if (fsync == FsyncMode.BATCH) {
                    dirty.set(true);
                }
                json.trim(1 << 16);
                return seq;
            }
            if (queued + at > queue.length) {
                queue = Arrays.copyOf(queue, Math.max(queue.length * 2, queued + at));
            }
            System.arraycopy(line, 0, queue, queued, at);
            queued += at;
            System.arraycopy(line, hashAt, prev, 0, 64);
            seq = ++linked;
        }
        json.trim(1 << 16);
        return seq;
    }

    /**
     * The mapped layout's write (under the chain lock): the line copied into the map, in chain order. A copy that did
     * not complete is taken back, so that the next record does not follow half of it.
     */
    private void copyIntoRegion(byte[] line, int length) throws AuditWriteException {
        long mark = region.end();
        boolean copied = false;
        try {
            region.put(line, length);
            copied = true;
        } catch (IOException e) {
            throw fail("cannot write to audit log " + target + ": " + e.getMessage(), e);
        } catch (InternalError e) {
            // the JVM's report of a fault on a mapped page (the file cut under the map, a full disk), when it comes
            // while the copy is still ours; it may also come later, elsewhere (AppendRegion says why)
            throw fail("cannot write to audit log " + target + ": a page of its map is gone (the file was truncated"
                    + " under its writer, as logrotate's copytruncate does, or the disk is full): " + e.getMessage(), new IOException(e));
        } finally {
            // a guarded call near the end of its stack can overflow inside the copy: the record is then not
            // written, and the next one must not follow half of it (plain stores only, no allocation, here)
            if (!copied && !region.rewind(mark) && failure == null) {
                failure = cutShort;
            }
        }
    }

    /** Returns once the record numbered {@code seq} and all before it were handed to the OS. */
    private void writeThrough(long seq) throws AuditWriteException {
        if (written >= seq) {
            return;
        }
        if (!acquireWriter(seq)) {
            return; // another thread's write carried it
        }
        try {
            AuditWriteException failed = failure;
            if (failed != null) {
                throw unusable(failed);
            }
            if (composing.get() > 0) {
                // another thread is about to link its decision: a moment's wait lets this write carry it too
                long deadline = System.nanoTime() + SHARE_WAIT_NANOS;
                while (composing.get() > 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            byte[] batch;
            int length;
            long upTo;
            synchronized (chainLock) {
                batch = queue;
                length = queued;
                upTo = linked;
                queue = spare;
                queued = 0;
            }
            try {
                // FileOutputStream, not FileChannel: an interrupted caller thread must not close the log.
                out.write(batch, 0, length);
            } catch (IOException e) {
                throw fail("cannot write to audit log " + target + ": " + e.getMessage(), e);
            } finally {
                spare = batch.length > MAX_KEPT_BATCH_BYTES ? new byte[8192] : batch;
            }
            written = upTo;
            if (fsync == FsyncMode.BATCH) {
                dirty.set(true);
            }
        } finally {
            writing = 0;
        }
    }

    /**
     * Takes the writer's turn (true), or returns false without it once another writer's batch carried record
     * {@code seq}.
     * A write takes microseconds, so a thread that finds another writing spins for a moment rather than parking:
     * parking and being woken would cost more than the write it waits for, and while it spins the other write
     * may carry its record. Past {@link #SPIN_NANOS} it waits in short sleeps.
     */
    private boolean acquireWriter(long seq) {
        long spinUntil = 0L;
        while (!WRITING.compareAndSet(this, 0, 1)) {
            if (written >= seq) {
                return false;
            }
            long now = System.nanoTime();
            if (spinUntil == 0L) {
                spinUntil = now + SPIN_NANOS;
            }
            if (now < spinUntil) {
                Thread.onSpinWait();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(this, PARK_NANOS);
            }
        }
        if (written >= seq) {
            writing = 0; // carried meanwhile: nothing to write
            return false;
        }
        return true;
    }

    private AuditWriteException unusable(AuditWriteException failed) {
        return new AuditWriteException("audit log " + target + " is unusable since an earlier failure: "
                + failed.getMessage(), failed);
    }

    /** The hash of the last record written (the {@code prev} of the next one). */
    public String lastHash() {
        synchronized (chainLock) {
            return new String(prev, StandardCharsets.US_ASCII);
        }
    }

    /**
     * The anchor of everything written so far (SPEC §13.11): the last record's hash and the number of records
     * in the file. Returns once that record was handed to the OS, so the anchor never names a record that a
     * crash could still lose.
     *
     * @throws AuditWriteException when the log failed or is closed before the record was written
     */
    public AuditAnchor anchor() throws AuditWriteException {
        long seq;
        String hash;
        synchronized (chainLock) {
            seq = linked;
            hash = new String(prev, StandardCharsets.US_ASCII);
        }
        writeThrough(seq);
        AuditWriteException failed = failure;
        if (failed != null) {
            throw unusable(failed);
        }
        return new AuditAnchor(hash, recordsBefore + seq);
    }

    /** Appends a {@code checkpoint} record carrying the number of records in the file, itself included. */
    public void checkpoint() throws AuditWriteException {
        long seq;
        synchronized (chainLock) {
            // held across linking, so that no other record takes the number this checkpoint counts to
            seq = link(new CheckpointRecord(recordsBefore + linked + 1));
        }
        writeThrough(seq);
        if (fsync == FsyncMode.ALWAYS) {
            force();
        }
    }

    private void checkpointOnTimer() {
        if (closed) {
            return;
        }
        try {
            checkpoint();
        } catch (AuditWriteException e) {
            // the failure is the log's: every later append reports it to its caller, who denies the call
        }
    }

    /**
     * Why the mapped layout's region stopped taking records (the file was cut under it, a chunk could not be made),
     * found by its own thread before any record needed it; null while it is fine, and always in the append layout.
     */
    IOException regionFailure() {
        return region == null ? null : region.failure();
    }

    /** The mapped layout's lead of chunks made ahead of the records (for tests that must not race its making). */
    int regionLead() {
        return region == null ? 0 : region.chunksReady();
    }

    /** The file path, or "standard error". */
    public String target() {
        return target;
    }

    /** Formats an instant as the log does: UTC, microseconds, e.g. {@code 2026-11-21T10:15:30.123456Z}. */
    public static String timestamp(Instant instant) {
        return JsonWriter.formatTimestamp(instant);
    }

    /**
     * Hands the queued records to the OS, forces what was written (unless fsync is never), releases the file
     * and stops the background threads.
     */
    @Override
    public void close() {
        long seq;
        synchronized (chainLock) {
            seq = linked;
        }
        try {
            // a record another thread linked but has not written yet still reaches the file
            writeThrough(seq);
        } catch (AuditWriteException ignored) {
            // the failure was reported to whoever appended; closing goes on
        }
        synchronized (chainLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (region != null) {
            closeMapped();
            return;
        }
        if (fsync != FsyncMode.NEVER && failure == null) {
            try {
                out.getFD().sync();
            } catch (IOException ignored) {
                // Closing cannot report anything useful; every acknowledged record was already written.
            }
        }
        if (fileLock != null) {
            try {
                fileLock.release();
            } catch (IOException ignored) {
                // Released with the file below anyway.
            }
            closeQuietly(out);
        }
    }

    /** Cuts the file to its last record (no zero tail, see {@link AppendRegion}), forces it, releases it. */
    private void closeMapped() {
        if (Thread.currentThread() != closeAtExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(closeAtExit);
            } catch (IllegalStateException exiting) {
                // the JVM is exiting: the hook runs, and finds the log closed
            }
        }
        region.close(fsync != FsyncMode.NEVER && failure == null);
        try {
            fileLock.release();
        } catch (IOException ignored) {
            // Released with the file below anyway.
        }
        closeQuietly(file);
    }

    private void force() throws AuditWriteException {
        if (region != null) {
            try {
                region.force();
            } catch (IOException e) {
                throw fail("cannot force audit log " + target + " to the device: " + e.getMessage(), e);
            }
            return;
        }
        try {
            // FileDescriptor.sync() rather than FileChannel.force(): it cannot be broken by thread interrupts.
            out.getFD().sync();
        } catch (IOException e) {
            throw fail("cannot force audit log " + target + " to the device: " + e.getMessage(), e);
        }
    }

    private void forceIfDirty() {
        if (dirty.getAndSet(false) && !closed) {
            try {
                force();
            } catch (AuditWriteException e) {
                // fail() already made every later append report this; nothing else to do on this thread.
            }
        }
    }

    private AuditWriteException fail(String message, IOException cause) {
        AuditWriteException e = new AuditWriteException(message, cause);
        failure = e;
        return e;
    }

    /** What a thread needs to make a record: reused record after record, never shared. */
    private static final class Scratch {
        final JsonWriter json;
        final MessageDigest digest = sha256();
        final byte[] hash = new byte[32];

        Scratch(JsonWriter json) {
            this.json = json;
        }
    }

    private static int put(byte[] into, int at, byte[] bytes) {
        System.arraycopy(bytes, 0, into, at, bytes.length);
        return at + bytes.length;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Nothing was written through it that is not already in the OS.
            }
        }
    }
}
