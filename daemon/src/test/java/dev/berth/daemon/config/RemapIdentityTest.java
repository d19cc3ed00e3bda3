package dev.berth.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.sys.proc.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemapIdentityTest {
    @TempDir
    Path etc;

    @Test
    void aNewRangeStartsAfterEveryRangeGivenOut() throws Exception {
        Path subuid = etc.resolve("subuid");
        Files.writeString(subuid, "alice:100000:65536\nbob:300000:1000\n");
        RemapIdentity.addRangeIfMissing(subuid, "dockremap");
        assertThat(Files.readAllLines(subuid)).containsExactly("alice:100000:65536", "bob:300000:1000", "dockremap:301000:65536");
        RemapIdentity.addRangeIfMissing(subuid, "dockremap");
        assertThat(Files.readAllLines(subuid)).hasSize(3);
        Path empty = etc.resolve("subgid");
        RemapIdentity.addRangeIfMissing(empty, "dockremap");
        assertThat(Files.readAllLines(empty)).containsExactly("dockremap:100000:65536");
    }

    @Test
    void aNamedUserWithoutRangesStopsTheDaemonWithDockerdsMessage() throws Exception {
        Files.writeString(etc.resolve("passwd"), "app:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(etc.resolve("subuid"), "other:100000:65536\n");
        Files.writeString(etc.resolve("subgid"), "app:100000:65536\n");
        ProcessLauncher never = ProcessLauncher.system();
        assertThatThrownBy(() -> RemapIdentity.prepare("app", etc, never))
                .hasMessage("Can't create ID mappings: No subuid ranges found for user \"app\"");
        Files.writeString(etc.resolve("subuid"), "app:100000:65536\n");
        RemapIdentity.prepare("app", etc, never);
        RemapIdentity.prepare("", etc, never);
    }

    @Test
    void aPrivateDirectoryAboveTheDataRootIsRefused() throws Exception {
        Path closed = Files.createDirectories(etc.resolve("closed/data"));
        Files.setPosixFilePermissions(etc.resolve("closed"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwx--x--x"));
        assertThatThrownBy(() -> RemapIdentity.checkTraversable(closed, closed))
                .hasMessageContaining("restricts access to the remapped root uid/gid");
        Files.setPosixFilePermissions(etc.resolve("closed"), PosixFilePermissions.fromString("rwx--x--x"));
        RemapIdentity.checkTraversable(closed, closed);
    }
}
