package dev.toolguard.policy.audit;

import dev.toolguard.policy.values.Redaction;

import java.time.Duration;

/**
 * Where and how the audit log is written (SPEC §2 {@code audit:}).
 *
 * @param file          the log file, or {@code "-"} for standard error
 * @param fsync         never | batch | always
 * @param batchInterval for {@link FsyncMode#BATCH}: the longest time between two forces
 * @param redaction     what is hidden or cut in args, ctx and other free-form values
 * @param checkpointEvery how often a {@code checkpoint} record is written; zero means never
 * @param layout        how records reach the file: append (default, {@code write(2)}) or mapped
 */
public record AuditConfig(String file, FsyncMode fsync, Duration batchInterval, Redaction redaction,
                          Duration checkpointEvery, AuditLayout layout) {

    public static final String STANDARD_ERROR = "-";
    public static final String DEFAULT_FILE = "toolguard-audit.jsonl";
    public static final Duration DEFAULT_CHECKPOINT = Duration.ofMinutes(1);

    public AuditConfig {
        file = file == null || file.isBlank() ? DEFAULT_FILE : file;
        fsync = fsync == null ? FsyncMode.NEVER : fsync;
        batchInterval = batchInterval == null ? Duration.ofMillis(100) : batchInterval;
        redaction = redaction == null ? Redaction.DEFAULT : redaction;
        checkpointEvery = checkpointEvery == null ? DEFAULT_CHECKPOINT : checkpointEvery;
        layout = layout == null ? AuditLayout.APPEND : layout;
        if (checkpointEvery.isNegative()) {
            throw new IllegalArgumentException("the checkpoint interval is negative");
        }
    }

    /** In the append layout. */
    public AuditConfig(String file, FsyncMode fsync, Duration batchInterval, Redaction redaction,
                       Duration checkpointEvery) {
        this(file, fsync, batchInterval, redaction, checkpointEvery, null);
    }

    /** With checkpoints every {@link #DEFAULT_CHECKPOINT}, in the append layout. */
    public AuditConfig(String file, FsyncMode fsync, Duration batchInterval, Redaction redaction) {
        this(file, fsync, batchInterval, redaction, null);
    }

    public static AuditConfig toFile(String file) {
        return new AuditConfig(file, FsyncMode.NEVER, null, null);
    }

    /** A copy writing a checkpoint every {@code every} (zero: never). */
    public AuditConfig withCheckpointEvery(Duration every) {
        return new AuditConfig(file, fsync, batchInterval, redaction, every, layout);
    }

    /** A copy written in {@code layout}. */
    public AuditConfig withLayout(AuditLayout layout) {
        return new AuditConfig(file, fsync, batchInterval, redaction, checkpointEvery, layout);
    }

    public boolean toStandardError() {
        return STANDARD_ERROR.equals(file);
    }
}
