package dev.toolguard.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * {@code audit_floor_ns}: the least an allowed guarded call can pay to have its records with the OS (SPEC §9), with
 * no decision, no serialization and no lock: the SHA-256 of a decision-sized record and of an outcome-sized record
 * (the two records an allowed {@code G1} call writes, sized as the agent writes them for that call), each copied
 * into a memory-mapped file, which puts it in the kernel's page cache, where a SIGKILL does not lose it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@State(Scope.Thread)
public class AuditFloorBenchmark {

    /** The sizes of the G1 call's decision and outcome records in {@code bench-audit.jsonl}, in bytes. */
    static final int DECISION_BYTES = 720;
    static final int OUTCOME_BYTES = 250;
    private static final int REGION_BYTES = 64 << 20;

    private byte[] decision;
    private byte[] outcome;
    private MessageDigest sha256;
    private Path file;
    private FileChannel channel;
    private MappedByteBuffer region;

    @Setup
    public void open() throws IOException, NoSuchAlgorithmException {
        decision = record(DECISION_BYTES);
        outcome = record(OUTCOME_BYTES);
        sha256 = MessageDigest.getInstance("SHA-256");
        file = Files.createTempFile("toolguard-audit-floor", ".jsonl");
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        region = channel.map(FileChannel.MapMode.READ_WRITE, 0, REGION_BYTES);
    }

    @TearDown
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(file);
    }

    @Benchmark
    public int floor() {
        return append(decision) + append(outcome);
    }

    private int append(byte[] record) {
        sha256.update(record);
        byte[] digest = sha256.digest();
        if (region.remaining() < record.length) {
            region.clear();
        }
        region.put(record);
        return digest[0];
    }

    /** A JSON-lines-looking record of the given size. */
    private static byte[] record(int size) {
        byte[] r = new byte[size];
        byte[] text = "{\"type\":\"decision\",\"tool\":\"issue_refund\",\"args\":{\"amount\":150.0}}".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            r[i] = text[i % text.length];
        }
        r[size - 1] = '\n';
        return Arrays.copyOf(r, size);
    }
}
