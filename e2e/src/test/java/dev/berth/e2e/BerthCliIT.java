package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The same scenarios through bin/berth, compared with the docker CLI's output and exit codes. */
class BerthCliIT extends E2E {
    BerthCliIT(Engine e) {
        super(e);
    }

    private Cmd.Result berth(String... args) {
        return e.berth(args);
    }

    @Test
    void versionAndInfo() {
        Cmd.Result v = berth("version");
        assertThat(v.exit()).as(v.describe()).isZero();
        assertThat(v.out()).contains("Server:");
        assertThat(berth("version", "--format", "{{.Server.Version}}").out()).isEqualTo(ok("version", "--format", "{{.Server.Version}}"));
        assertThat(berth("info").out()).contains("Server Version:");
    }

    @Test
    void runExitCodesAndOutput() {
        Cmd.Result r = berth("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exit()).as(r.describe()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("out\n");
        assertThat(r.err()).isEqualTo("err\n");
        assertThat(berth("run", "--rm", "busybox", "/nonexistent").exit()).isEqualTo(127);
        Cmd.Result bad = berth("run", "--memory", "1k", "busybox", "true");
        assertThat(bad.exit()).isEqualTo(125);
        assertThat(bad.err()).contains("Minimum memory limit allowed is 6MB");
        Cmd.Result flag = berth("run", "--bogus-flag", "busybox");
        assertThat(flag.exit()).isEqualTo(125);
        assertThat(flag.err()).contains("unknown flag: --bogus-flag").doesNotContain("Exception");
        Cmd.Result stdin = e.sh("echo piped | " + e.root.resolve("bin/berth") + " run -i --rm busybox cat");
        assertThat(stdin.out()).isEqualTo("piped\n");
    }

    @Test
    void psTablesMatchDocker() throws java.io.IOException {
        String name = Engine.name("berthps");
        Cmd.Result run = berth("run", "-d", "--name", name, "-p", "127.0.0.1:" + NetworkIT.freePort() + ":80",
                "busybox", "httpd", "-f", "-p", "80", "-h", "/var/www");
        assertThat(run.exit()).as(run.describe()).isZero();
        String fmt = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.Ports}}\t{{.Names}}";
        assertThat(berth("ps", "--filter", "name=" + name, "--format", fmt).out()).isEqualTo(ok("ps", "--filter", "name=" + name, "--format", fmt));
        assertThat(berth("ps", "-a", "-q").out()).isEqualTo(ok("ps", "-a", "-q"));
        assertThat(berth("ps", "--filter", "name=" + name).out().lines().findFirst())
                .isEqualTo(ok("ps", "--filter", "name=" + name).lines().findFirst());
        assertThat(berth("port", name).out()).isEqualTo(ok("port", name));
        assertThat(berth("inspect", "--format", "{{.State.Status}} {{.Config.Image}} {{.Name}}", name).out())
                .isEqualTo(ok("inspect", "--format", "{{.State.Status}} {{.Config.Image}} {{.Name}}", name));
        assertThat(berth("exec", name, "sh", "-c", "exit 9").exit()).isEqualTo(9);
        assertThat(berth("rm", "-f", name).out()).isEqualTo(name + "\n");
    }

    @Test
    void imagesVolumesNetworksMatchDocker() {
        assertThat(berth("images").out()).isEqualTo(ok("images"));
        assertThat(berth("images", "-q").out()).isEqualTo(ok("images", "-q"));
        String v = Engine.name("berthvol");
        assertThat(berth("volume", "create", v).out()).isEqualTo(v + "\n");
        assertThat(berth("volume", "ls").out()).isEqualTo(ok("volume", "ls"));
        assertThat(berth("volume", "rm", v).out()).isEqualTo(v + "\n");
        assertThat(berth("network", "ls").out()).isEqualTo(ok("network", "ls"));
    }

    @Test
    void errorsMatchDocker() {
        Cmd.Result b = berth("stop", "nosuch-e2e");
        Cmd.Result d = docker("stop", "nosuch-e2e");
        assertThat(b.exit()).isEqualTo(d.exit()).isEqualTo(1);
        assertThat(b.err()).isEqualTo(d.err());
        Cmd.Result bi = berth("inspect", "nosuch-e2e");
        assertThat(bi.exit()).isEqualTo(1);
        assertThat(bi.err()).contains("No such object: nosuch-e2e");
    }

    @Test
    void lifecycleCommands() {
        String name = Engine.name("berthlife");
        assertThat(berth("create", "--name", name, "busybox", "sh", "-c", "echo hi; sleep 300").exit()).isZero();
        assertThat(berth("start", name).out()).isEqualTo(name + "\n");
        assertThat(eventually(java.time.Duration.ofSeconds(10), () -> berth("logs", name).out().equals("hi\n"))).isTrue();
        assertThat(berth("pause", name).exit()).isZero();
        assertThat(berth("unpause", name).exit()).isZero();
        assertThat(berth("top", name).out()).contains("PID");
        assertThat(berth("stats", "--no-stream", name).out()).contains(name);
        assertThat(berth("kill", "-s", "KILL", name).out()).isEqualTo(name + "\n");
        assertThat(berth("wait", name).out()).isEqualTo("137\n");
        assertThat(berth("rename", name, name + "-2").exit()).isZero();
        assertThat(berth("rm", name + "-2").exit()).isZero();
    }

    @Test
    void saveLoadTagRmi() {
        String repo = Engine.name("berthimg");
        assertThat(berth("tag", "busybox", repo + ":1").exit()).isZero();
        String file = e.dir.resolve(repo + ".tar").toString();
        assertThat(berth("save", "-o", file, repo + ":1").exit()).isZero();
        assertThat(berth("rmi", repo + ":1").out()).isEqualTo("Untagged: " + repo + ":1\n");
        assertThat(berth("load", "-i", file).out()).contains("Loaded image: " + repo + ":1");
        assertThat(berth("rmi", repo + ":1").exit()).isZero();
        Cmd.Result imp = berth("import", "-c", "CMD [\"echo\",\"imp\"]", e.busyboxRootfs.toString(), repo + ":imp");
        assertThat(imp.exit()).as(imp.describe()).isZero();
        assertThat(berth("run", "--rm", repo + ":imp").out()).isEqualTo("imp\n");
        assertThat(berth("rmi", repo + ":imp").exit()).isZero();
    }
}
