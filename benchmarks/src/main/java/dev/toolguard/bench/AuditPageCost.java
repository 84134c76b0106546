package dev.toolguard.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a page of a file that grows through a memory map costs, by each way of making it: the CPU of one thread that
 * makes a new file's pages chunk by chunk and then copies 1,000-byte records into them, per 4 KiB page, and the part of
 * it the copies took. The mapped audit layout's grower makes pages this way ahead of the records ({@code AppendRegion});
 * see docs/performance.md for what was measured.
 *
 * <pre>java -cp benchmarks.jar dev.toolguard.bench.AuditPageCost &lt;dir&gt; &lt;how&gt; [MiB, default 128]</pre>
 *
 * {@code how}: {@code touch} (a byte written through the map into each page of a hole), {@code write+touch} (the chunk
 * written as zeros with {@code write(2)} first), {@code write+load+touch} ({@link MappedByteBuffer#load()} between),
 * {@code write} (zeros written, the pages left to the copies' own faults).
 */
public final class AuditPageCost {

    private static final int CHUNK = 1 << 20;
    private static final int PAGE = 4096;
    private static final int RECORD = 1000;

    private AuditPageCost() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        String how = args[1];
        int chunks = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        byte[] zeros = new byte[CHUNK];
        byte[] record = new byte[RECORD];
        Arrays.fill(record, (byte) 'x');
        for (int round = 0; round < 3; round++) {
            Path file = dir.resolve("page-cost.bin");
            Files.deleteIfExists(file);
            long cpu;
            long copying = 0;
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                FileChannel channel = raf.getChannel();
                long cpu0 = mx.getCurrentThreadCpuTime();
                for (int c = 0; c < chunks; c++) {
                    long start = (long) c * CHUNK;
                    if (how.startsWith("write")) {
                        raf.seek(start);
                        raf.write(zeros);
                    }
                    MappedByteBuffer chunk = channel.map(FileChannel.MapMode.READ_WRITE, start, CHUNK);
                    if (how.contains("load")) {
                        chunk.load();
                    }
                    if (how.endsWith("touch")) {
                        for (int i = 0; i < CHUNK; i += PAGE) {
                            chunk.put(i, (byte) 0);
                        }
                    }
                    long t = mx.getCurrentThreadCpuTime();
                    for (int at = 0; at + RECORD <= CHUNK; at += RECORD) {
                        chunk.put(at, record, 0, RECORD);
                    }
                    copying += mx.getCurrentThreadCpuTime() - t;
                }
                cpu = mx.getCurrentThreadCpuTime() - cpu0;
            } finally {
                Files.deleteIfExists(file);
            }
            double pages = (double) chunks * CHUNK / PAGE;
            System.out.printf("%s: CPU %.2f µs per page, of which the copies %.2f µs%n", how, cpu / 1e3 / pages,
                    copying / 1e3 / pages);
        }
    }
}
