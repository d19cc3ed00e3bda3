package dev.berth.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalVolumeServiceTest {
    @TempDir
    Path dataRoot;

    @Test
    void createIsIdempotentAndPersistsMetadata() {
        var svc = new LocalVolumeService(dataRoot);
        var v = svc.create("data1", null, Map.of(), Map.of("a", "b"));
        assertThat(v.mountpoint()).isEqualTo(dataRoot.resolve("volumes/data1/_data"));
        assertThat(Files.isDirectory(v.mountpoint())).isTrue();
        assertThat(v.driver()).isEqualTo("local");
        assertThat(v.anonymous()).isFalse();
        assertThat(v.createdAt()).endsWith("Z");
        assertThat(svc.create("data1", "local", null, null)).isEqualTo(v);
        var reloaded = new LocalVolumeService(dataRoot).get("data1");
        assertThat(reloaded).isEqualTo(v);
        assertThat(reloaded.labels()).containsEntry("a", "b");
    }

    @Test
    void anonymousVolumesGetRandomHexNameAndLabel() {
        var svc = new LocalVolumeService(dataRoot);
        var v = svc.create(null, null, null, null);
        assertThat(v.name()).matches("[a-f0-9]{64}");
        assertThat(v.anonymous()).isTrue();
        assertThat(v.labels()).containsKey(LocalVolumeService.ANONYMOUS_LABEL);
    }

    @Test
    void namesAreValidatedAsDocker() {
        var svc = new LocalVolumeService(dataRoot);
        assertThatThrownBy(() -> svc.create("a", null, null, null))
                .isInstanceOf(BerthException.class)
                .hasMessageContaining("volume name is too short, names should be at least two alphanumeric characters")
                .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT));
        assertThatThrownBy(() -> svc.create("/abs", null, null, null))
                .hasMessageContaining("includes invalid characters for a local volume name");
        assertThatThrownBy(() -> svc.create("_x", null, null, null))
                .hasMessageContaining("includes invalid characters");
        assertThatThrownBy(() -> svc.create("ok", "nfs", null, null))
                .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> svc.create("ok", null, Map.of("bogus", "1"), null))
                .hasMessageContaining("invalid option key: \"bogus\"");
    }

    @Test
    void getUnknownIsNotFoundWithDockerMessage() {
        var svc = new LocalVolumeService(dataRoot);
        assertThatThrownBy(() -> svc.get("nope"))
                .hasMessage("get nope: no such volume")
                .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(svc.find("../etc")).isEmpty();
    }

    @Test
    void listAndRemove() throws Exception {
        var svc = new LocalVolumeService(dataRoot);
        svc.create("bb", null, null, null);
        svc.create("aa", null, null, null);
        Files.writeString(svc.get("aa").mountpoint().resolve("f"), "x");
        assertThat(svc.list()).extracting(VolumeService.VolumeInfo::name).containsExactly("aa", "bb");
        svc.remove("aa");
        assertThat(svc.list()).extracting(VolumeService.VolumeInfo::name).containsExactly("bb");
        assertThat(Files.exists(dataRoot.resolve("volumes/aa"))).isFalse();
        assertThatThrownBy(() -> svc.remove("aa")).hasMessage("get aa: no such volume");
    }

    @Test
    void seedCopiesTreeKeepingModesTimesLinksAndHardlinks() throws Exception {
        Path src = Files.createDirectory(dataRoot.resolve("src"));
        Path sub = Files.createDirectory(src.resolve("sub"));
        Path f = Files.writeString(sub.resolve("file"), "hello");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setAttribute(f, "unix:mode", 04750);
        Files.createSymbolicLink(src.resolve("link"), Path.of("/etc/passwd"));
        Files.createLink(src.resolve("hard"), f);
        FileTime t = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(f, t);
        Files.setLastModifiedTime(sub, t);
        Files.setAttribute(src, "unix:mode", 0711);

        var svc = new LocalVolumeService(dataRoot);
        var v = svc.create("seeded", null, null, null);
        svc.seed("seeded", src);
        Path data = v.mountpoint();
        assertThat(Files.readString(data.resolve("sub/file"))).isEqualTo("hello");
        assertThat(((Number) Files.getAttribute(data.resolve("sub/file"), "unix:mode")).intValue() & 07777).isEqualTo(04750);
        assertThat(Files.getLastModifiedTime(data.resolve("sub/file"))).isEqualTo(t);
        assertThat(Files.getLastModifiedTime(data.resolve("sub"))).isEqualTo(t);
        assertThat(Files.isSymbolicLink(data.resolve("link"))).isTrue();
        assertThat(Files.readSymbolicLink(data.resolve("link"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(Files.getAttribute(data.resolve("hard"), "unix:ino"))
                .isEqualTo(Files.getAttribute(data.resolve("sub/file"), "unix:ino"));
        assertThat(((Number) Files.getAttribute(data, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue() & 07777).isEqualTo(0711);
        // hard link counted once
        assertThat(svc.size("seeded")).isEqualTo(5);

        // A second seed into a non-empty volume is a no-op.
        Files.writeString(sub.resolve("later"), "x");
        svc.seed("seeded", src);
        assertThat(Files.exists(data.resolve("sub/later"))).isFalse();
    }

    @Test
    void deviceVolumesMountOnFirstAcquireAndUnmountOnLastRelease() {
        List<String> calls = new ArrayList<>();
        VolumeMounter m = new VolumeMounter() {
            @Override
            public void mount(String device, String type, String options, Path target) {
                calls.add("mount " + device + " " + type + " " + options);
            }

            @Override
            public void unmount(Path target) {
                calls.add("unmount");
            }
        };
        var svc = new LocalVolumeService(dataRoot, m);
        svc.create("tmp1", null, Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=10m"), null);
        svc.acquire("tmp1");
        svc.acquire("tmp1");
        svc.release("tmp1");
        assertThat(calls).containsExactly("mount tmpfs tmpfs size=10m");
        svc.release("tmp1");
        assertThat(calls).containsExactly("mount tmpfs tmpfs size=10m", "unmount");
    }

    @Test
    void deviceVolumesWithoutMounterAreNotImplemented() {
        var svc = new LocalVolumeService(dataRoot);
        svc.create("tmp2", null, Map.of("type", "tmpfs", "device", "tmpfs"), null);
        assertThatThrownBy(() -> svc.acquire("tmp2"))
                .satisfies(e -> assertThat(((BerthException) e).kind()).isEqualTo(ErrorKind.NOT_IMPLEMENTED));
        assertThat(svc.acquire(svc.create("plain", null, null, null).name())).isEqualTo(dataRoot.resolve("volumes/plain/_data"));
    }
}
