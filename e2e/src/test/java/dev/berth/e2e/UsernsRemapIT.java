package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --userns-remap default} on a real daemon: berthd makes the dockremap user and its id
 * ranges as dockerd does, root in the container is an unprivileged id on the host, yet it owns
 * the image's files (idmapped layers) and its volumes, for crun and runc; nothing stays mounted.
 */
class UsernsRemapIT extends E2E {
    UsernsRemapIT(Engine e) {
        super(e);
    }

    @Test
    void rootInTheContainerIsUnprivilegedOnTheHostAndOwnsItsFiles() throws Exception {
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
}
