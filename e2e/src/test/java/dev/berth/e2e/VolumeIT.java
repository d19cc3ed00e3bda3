package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VolumeIT extends E2E {
    VolumeIT(Engine e) {
        super(e);
    }

    @Test
    void rsharedBindMountsPropagateToTheHostForBothRuntimes() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(e.dir.resolve("shared-src"));
        Cmd.Result notShared = docker("run", "--rm", "-v", dir + ":/x:rshared", "busybox", "true");
        assertThat(notShared.exit()).as(notShared.describe()).isEqualTo(125);
        assertThat(notShared.err()).contains("path " + dir + " is mounted on ").contains("but it is not a shared mount");
        assertThat(e.sh("mount --bind " + dir + " " + dir + " && mount --make-shared " + dir).exit()).isZero();
        try {
            for (String runtime : java.util.List.of("crun", "runc")) {
                ok("run", "--rm", "--runtime", runtime, "--privileged", "-v", dir + ":/x:rshared", "busybox", "sh", "-c",
                        "mkdir -p /x/sub && mount -t tmpfs tmpfs /x/sub");
                assertThat(Engine.mountsUnder(dir + "/sub")).as("a mount made in the " + runtime + " container, seen on the host")
                        .isNotEmpty();
                e.sh("umount " + dir + "/sub");
            }
        } finally {
            e.sh("umount " + dir + "/sub; umount " + dir);
        }
    }

    @Test
    void createListInspectRemove() {
        String v = Engine.name("vol");
        assertThat(ok("volume", "create", v)).isEqualTo(v + "\n");
        assertThat(ok("volume", "ls", "-q").lines()).contains(v);
        assertThat(ok("volume", "ls")).startsWith("DRIVER    VOLUME NAME\n").contains("local     " + v);
        assertThat(ok("volume", "inspect", "--format", "{{.Name}} {{.Driver}}", v)).isEqualTo(v + " local\n");
        assertThat(ok("volume", "rm", v)).isEqualTo(v + "\n");
        Cmd.Result r = docker("volume", "inspect", v);
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void namedVolumePersistsAcrossContainers() {
        String v = Engine.name("persist");
        ok("run", "--rm", "-v", v + ":/data", "busybox", "sh", "-c", "echo persisted > /data/f");
        assertThat(ok("run", "--rm", "-v", v + ":/data", "busybox", "cat", "/data/f")).isEqualTo("persisted\n");
        String c = sleeper("voluse", "-v", v + ":/data");
        Cmd.Result inUse = docker("volume", "rm", v);
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(inUse.err()).contains("volume is in use");
        ok("rm", "-f", c);
        ok("volume", "rm", v);
    }

    @Test
    void imageVolumeIsSeededFromTheImage() {
        String image = Engine.name("seeded") + ":1";
        ok("import", "--change", "VOLUME /var/www", "--change", "CMD [\"sh\"]", e.busyboxRootfs.toString(), image);
        String v = Engine.name("seedvol");
        assertThat(ok("run", "--rm", "-v", v + ":/var/www", image, "cat", "/var/www/index.html"))
                .isEqualTo("hello from berth busybox\n");
        String name = Engine.name("anon");
        ok("run", "--name", name, image, "cat", "/var/www/index.html");
        assertThat(inspect(name, "{{range .Mounts}}{{.Type}} {{.Destination}}{{end}}")).isNotNull();
        assertThat(ok("inspect", "--format", "{{json .Mounts}}", name)).contains("\"Destination\":\"/var/www\"").contains("\"Type\":\"volume\"");
        ok("rm", "-v", name);
        ok("volume", "rm", v);
        ok("rmi", image);
    }

    @Test
    void bindMountReadOnly() throws Exception {
        Path dir = Files.createTempDirectory(e.dir, "bind");
        Files.writeString(dir.resolve("f"), "from host\n");
        assertThat(ok("run", "--rm", "-v", dir + ":/mnt:ro", "busybox", "cat", "/mnt/f")).isEqualTo("from host\n");
        Cmd.Result w = docker("run", "--rm", "-v", dir + ":/mnt:ro", "busybox", "touch", "/mnt/x");
        assertThat(w.exit()).isNotZero();
        assertThat(w.err()).contains("Read-only file system");
        ok("run", "--rm", "-v", dir + ":/mnt", "busybox", "sh", "-c", "echo back > /mnt/g");
        assertThat(Files.readString(dir.resolve("g"))).isEqualTo("back\n");
    }

    @Test
    void prune() {
        String v = Engine.name("prune");
        ok("volume", "create", v);
        Cmd.Result r = docker("volume", "prune", "-f", "--all");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).contains("Total reclaimed space");
        assertThat(ok("volume", "ls", "-q").lines()).doesNotContain(v);
    }
}
