package dev.toolguard.policy.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** SPEC §13.11: the audit log is a regular file; anything else is refused before it is opened. */
class AuditFileKindTest {

    @TempDir
    Path dir;

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aFifoWithoutAReaderIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("audit.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();

        // opening a FIFO for writing would block this thread until a reader came: none ever comes
        assertTimeoutPreemptively(Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> AuditLog.open(AuditConfig.toFile(fifo.toString()), null))
                        .isInstanceOf(AuditWriteException.class)
                        .hasMessageContaining(fifo.toString())
                        .hasMessageContaining("not a regular file (a FIFO, socket or device)"));
    }

    @Test
    void aDirectoryIsRefused() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("audit.jsonl"));

        assertThatThrownBy(() -> AuditLog.open(AuditConfig.toFile(directory.toString()), null))
                .isInstanceOf(AuditWriteException.class)
                .hasMessageContaining("it is a directory; the audit log must be a regular file");
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void aDeviceIsRefusedThoughItCouldBeWritten() {
        assertThatThrownBy(() -> AuditLog.open(AuditConfig.toFile("/dev/null"), null))
                .isInstanceOf(AuditWriteException.class)
                .hasMessageContaining("cannot open audit log /dev/null: it is not a regular file");
    }

    @Test
    void aSymbolicLinkIsRefusedEvenToARegularFile() throws Exception {
        Path real = Files.writeString(dir.resolve("real.jsonl"), "");
        Path link = Files.createSymbolicLink(dir.resolve("audit.jsonl"), real);

        assertThatThrownBy(() -> AuditLog.open(AuditConfig.toFile(link.toString()), null))
                .isInstanceOf(AuditWriteException.class)
                .hasMessageContaining("it is a symbolic link");
        assertThat(real).isEmptyFile();
    }

    @Test
    void anAbsentFileIsCreatedAndARegularOneContinued() throws Exception {
        Path file = dir.resolve("logs/audit.jsonl");
        AuditLog.open(AuditConfig.toFile(file.toString()), null).close();
        AuditLog.open(AuditConfig.toFile(file.toString()), null).close();

        assertThat(AuditFixtures.lines(file)).hasSize(2);
        assertThat(AuditVerifier.verify(file).ok()).isTrue();
    }
}
