package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --userns-remap default} on a real daemon: berthd makes the dockremap user and its id
 * ranges as dockerd does, root in the container is an unprivileged id on the host, yet it owns
 * the image's files (idmapped layers) and its volumes, for crun and runc; nothing stays mounted.
 * Archives cross the boundary as with dockerd: {@code docker cp} in gives files the container's
 * ids, cp out, export and commit carry container ids, so they equal an unremapped engine's.
 */
class UsernsRemapIT extends E2E {
    UsernsRemapIT(Engine e) {
        super(e);
    }

    /** A test body run against the engine restarted with {@code --userns-remap default}. */
    private interface Remapped {
        void run(long base) throws Exception;
    }

    /**
     * Restarts the engine remapped, runs {@code body}, and takes back what the test caused: the
     * engine's flags, the data dir's mode, and the dockremap user and ranges if berthd made them.
     */
    private void remapped(Remapped body) throws Exception {
        var private0700 = Files.getPosixFilePermissions(e.dir);
        // berthd makes the dockremap user and its ranges if missing; the test takes back what it caused
        boolean hadUser = Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("dockremap:"));
        boolean hadUids = Files.readAllLines(Path.of("/etc/subuid")).stream().anyMatch(l -> l.startsWith("dockremap:"));
        boolean hadGids = Files.readAllLines(Path.of("/etc/subgid")).stream().anyMatch(l -> l.startsWith("dockremap:"));
        try {
            // the remapped root must pass through the directories above the data root, as with dockerd
            Files.setPosixFilePermissions(e.dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            e.restart(List.of("--userns-remap", "default"));
            ok("ps", "-a"); // container requests wait for the daemon's set-up, the remapped identity included
            assertThat(Files.readAllLines(Path.of("/etc/subuid"))).anyMatch(l -> l.startsWith("dockremap:"));
            long base = Long.parseLong(Files.readAllLines(Path.of("/etc/subuid")).stream()
                    .filter(l -> l.startsWith("dockremap:")).findFirst().orElseThrow().split(":")[1]);
            body.run(base);
        } finally {
            e.restart(List.of());
            Files.setPosixFilePermissions(e.dir, private0700);
            if (!hadUids) {
                e.sh("sed -i '/^dockremap:/d' /etc/subuid");
            }
            if (!hadGids) {
                e.sh("sed -i '/^dockremap:/d' /etc/subgid");
            }
            if (!hadUser) {
                e.sh("userdel dockremap");
            }
        }
    }

    @Test
    void rootInTheContainerIsUnprivilegedOnTheHostAndOwnsItsFiles() throws Exception {
        remapped(base -> {
            try {
                for (String runtime : List.of("crun", "runc")) {
                    String out = ok("run", "--rm", "--runtime", runtime, "-v", "e2e-remap-vol:/data", "busybox", "sh", "-c",
                            "cat /proc/self/uid_map; stat -c %u /etc/passwd; touch /etc/new && echo hi > /data/f && echo wrote");
                    assertThat(out).as(runtime).containsPattern("\\s0\\s+" + base + "\\s+65536").contains("\n0\n").endsWith("wrote\n");
                }
                String name = sleeper("remap");
                long pid = Long.parseLong(inspect(name, "{{.State.Pid}}"));
                String status = Files.readString(Path.of("/proc/" + pid + "/status"));
                assertThat(status).containsPattern("Uid:\\s+" + base + "\\s");
                assertThat(ok("exec", name, "id", "-u")).isEqualTo("0\n");
                ok("rm", "-f", name);
                ok("volume", "rm", "e2e-remap-vol");
                assertThat(Engine.mountsUnder(e.execRoot.resolve("userns").toString())).isEmpty();
            } finally {
                docker("volume", "rm", "-f", "e2e-remap-vol");
            }
        });
    }

    @Test
    void cpCommitExportAndDiffSeeContainerIds() throws Exception {
        Path src = Files.createDirectories(e.dir.resolve("remap-cp/src"));
        Path foreign = Files.createDirectories(e.dir.resolve("remap-cp/foreign"));
        Files.writeString(src.resolve("f0"), "root\n");
        Files.writeString(src.resolve("f1000"), "user\n");
        Files.writeString(foreign.resolve("f70000"), "nobody\n");
        own(src, 0);
        own(src.resolve("f0"), 0);
        own(src.resolve("f1000"), 1000);
        own(foreign.resolve("f70000"), 70000);
        String running = Engine.name("remap-cp-run");
        String stopped = Engine.name("remap-cp-stopped");
        String image = Engine.name("remap-commit") + ":1";
        String built = Engine.name("remap-built") + ":1";
        remapped(base -> {
            try {
                ok("run", "-d", "--name", running, "busybox", "sleep", "300");
                ok("create", "--name", stopped, "busybox", "sleep", "300");
                // cp in: a running container (through its own mounts) and a created one (mounted by the daemon)
                for (String c : List.of(running, stopped)) {
                    ok("cp", src.toString(), c + ":/tmp/");
                }
                ok("start", stopped);
                for (String c : List.of(running, stopped)) {
                    assertThat(ok("exec", c, "stat", "-c", "%u:%g", "/tmp/src/f0", "/tmp/src/f1000", "/tmp", "/etc/passwd"))
                            .as(c).isEqualTo("0:0\n1000:1000\n0:0\n0:0\n");
                }
                // an id outside the container's range cannot come in (moby's words)
                Cmd.Result bad = docker("cp", foreign.resolve("f70000").toString(), running + ":/tmp/");
                assertThat(bad.exit()).as(bad.describe()).isNotZero();
                assertThat(bad.err()).contains("container ID 70000 cannot be mapped to a host ID");

                // cp out: container ids in the headers, for the copied files and the image's alike
                for (String path : List.of("/tmp/src", "/etc/passwd")) {
                    String listing = tarListing("docker cp " + running + ":" + path + " -");
                    assertThat(listing).as(path).doesNotContain(Long.toString(base));
                    if (path.equals("/tmp/src")) {
                        assertThat(listing).containsPattern("0/0 .* src/f0").containsPattern("1000/1000 .* src/f1000");
                    } else {
                        assertThat(listing).containsPattern("0/0 .* passwd");
                    }
                }

                // export: every owner a container id
                String exported = tarListing("docker export " + stopped);
                assertThat(exported).containsPattern("0/0 .* tmp/src/f0").containsPattern("1000/1000 .* tmp/src/f1000")
                        .containsPattern("0/0 .* etc/passwd").doesNotContain(base + "/");

                // diff lists the copy as an unremapped engine does
                assertThat(ok("diff", stopped)).contains("C /tmp\n", "A /tmp/src\n", "A /tmp/src/f0\n", "A /tmp/src/f1000\n");

                // commit: the layer carries container ids (shifted ids would show as 65534 here)
                ok("exec", running, "sh", "-c", "rm /bin/vi && mkdir -p /opt/o && touch /opt/o/x && chown 1234:4321 /opt/o/x");
                ok("commit", running, image);
                assertThat(ok("run", "--rm", image, "sh", "-c",
                        "stat -c %u:%g /tmp/src/f0 /tmp/src/f1000 /opt/o/x; test -e /bin/vi || echo vi-gone"))
                        .isEqualTo("0:0\n1000:1000\n1234:4321\nvi-gone\n");
                assertThat(topLayerListing(image)).containsPattern("1234/4321 .* opt/o/x").containsPattern("1000/1000 .* tmp/src/f1000")
                        .contains("bin/.wh.vi").doesNotContain(base + "/");
                assertThat(Engine.mountsUnder(e.execRoot.resolve("cp-userns").toString())).isEmpty();

                // a RUN step's layer too: the builder commits its remapped container the same way
                Path ctx = e.dir.resolve(Engine.name("remap-build"));
                Files.createDirectories(ctx);
                Files.writeString(ctx.resolve("Dockerfile"),
                        "FROM busybox\nRUN mkdir -p /opt/b && touch /opt/b/f && chown 1234:4321 /opt/b/f\n");
                Cmd.Result b = e.sh("DOCKER_BUILDKIT=0 " + Engine.DOCKER + " build -q -t " + built + " " + ctx);
                assertThat(b.exit()).as(b.describe()).isZero();
                assertThat(topLayerListing(built)).containsPattern("0/0 .* opt/b/\n").containsPattern("1234/4321 .* opt/b/f")
                        .doesNotContain(base + "/");
            } finally {
                docker("rm", "-f", running, stopped);
                docker("rmi", "-f", image, built);
            }
        });
    }

    /** {@code tar -tv} (numeric owners) of the top layer of {@code image}, as {@code docker save} writes it. */
    private String topLayerListing(String image) {
        return e.sh("d=$(mktemp -d) && docker save " + image + " | tar -x -C \"$d\" && "
                + "l=$(sed -e 's/.*\"Layers\":\\[//' -e 's/\\].*//' \"$d/manifest.json\" | tr ',' '\\n' | tail -1 | tr -d '\"') && "
                + "tar -tv --numeric-owner -f \"$d/$l\"; rm -rf \"$d\"").out();
    }

    /** {@code tar -tv} of what {@code producer} (a shell pipeline writing a tar) writes, with numeric owners. */
    private String tarListing(String producer) {
        Cmd.Result r = e.sh(producer + " | tar -tv --numeric-owner -f -");
        assertThat(r.exit()).as(r.describe()).isZero();
        return r.out();
    }

    private static void own(Path p, int id) throws java.io.IOException {
        Files.setAttribute(p, "unix:uid", id, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", id, LinkOption.NOFOLLOW_LINKS);
    }
}
