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

    /**
     * Runs {@code args} through berth and through docker and asserts the same exit code and
     * stdout, and the same stderr once "docker" is read as "berth". Returns berth's result.
     */
    private Cmd.Result same(String... args) {
        Cmd.Result b = berth(args);
        Cmd.Result d = docker(args);
        assertThat(b.exit()).as(b.describe() + "\n=== docker:\n" + d.describe()).isEqualTo(d.exit());
        assertThat(b.out()).as(b.describe() + "\n=== docker:\n" + d.describe()).isEqualTo(d.out());
        assertThat(b.err().replace("berth", "docker")).as(b.describe() + "\n=== docker:\n" + d.describe())
                .isEqualTo(d.err());
        return b;
    }

    /**
     * Like {@link #same} for tables with a relative-time column: berth and docker run a moment
     * apart, so "Less than a second ago" against "1 second ago" is no difference. Recent ages are
     * read as one word and runs of blanks as one (the column widths follow the ages).
     */
    private Cmd.Result sameIgnoringAge(String... args) {
        Cmd.Result b = berth(args);
        Cmd.Result d = docker(args);
        assertThat(b.exit()).as(b.describe() + "\n=== docker:\n" + d.describe()).isEqualTo(d.exit());
        assertThat(withoutAge(b.out())).as(b.describe() + "\n=== docker:\n" + d.describe()).isEqualTo(withoutAge(d.out()));
        return b;
    }

    private static String withoutAge(String table) {
        return table.replaceAll("(Less than a second|About a minute|\\d+ seconds?) ago", "recently").replaceAll(" +", " ");
    }

    /** Same exit code and stdout; stderr only checked to hold no Java stack trace. */
    private Cmd.Result sameOut(String... args) {
        Cmd.Result b = berth(args);
        Cmd.Result d = docker(args);
        assertThat(b.exit()).as(b.describe() + "\n=== docker:\n" + d.describe()).isEqualTo(d.exit());
        assertThat(b.out()).as(b.describe() + "\n=== docker:\n" + d.describe()).isEqualTo(d.out());
        assertThat(b.err()).doesNotContain("Exception").doesNotContain("\tat ");
        return b;
    }

    @Test
    void usageErrorsMatchDocker() {
        for (String[] args : new String[][] {
            {"ps", "--bogus"}, {"run", "--bogus-flag", "busybox"}, {"rm"}, {"stop"}, {"cp", "a"}, {"history"},
            {"ps", "--format", "{{.Foo"}, {"images", "-Z"}, {"nosuchcommand"}, {"container", "ls", "--bogus"},
            {"image", "ls", "--bogus"}, {"commit"}, {"diff"}, {"export"}, {"update"}, {"attach"}}) {
            Cmd.Result b = berth(args);
            Cmd.Result d = docker(args);
            assertThat(b.exit()).as(b.describe() + "\n=== docker:\n" + d.describe()).isEqualTo(d.exit());
            assertThat(b.err()).as(b.describe()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(b.err().lines().findFirst().orElse("").replace("berth", "docker"))
                    .as(b.describe() + "\n=== docker:\n" + d.describe())
                    .isEqualTo(d.err().lines().findFirst().orElse(""));
        }
    }

    @Test
    void formatSubsetMatchesDocker() {
        String name = sleeper("berthfmt", "-e", "A=1", "-l", "x=y", "-l", "k=v");
        for (String f : new String[] {
            "{{.Name}} {{.State.Running}}", "{{json .Config.Labels}}", "{{index .Config.Labels \"x\"}}",
            "{{range .Config.Env}}[{{.}}]{{end}}", "{{join .Config.Cmd \",\"}}",
            "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", "{{if .State.Running}}up{{else}}down{{end}}",
            "{{.Config.Cmd | json}}", "{{upper .Config.Image}} {{len .Config.Env}}"}) {
            same("inspect", "--format", f, name);
        }
        same("ps", "--filter", "name=" + name, "--format", "{{.Names}}\t{{.Image}}\t{{.Command}}");
        same("ps", "--filter", "name=" + name, "--format", "table {{.Names}}\t{{.Image}}");
        same("ps", "--filter", "name=" + name, "--format", "{{json .Labels}}");
        same("container", "ls", "--filter", "name=" + name, "-q");
        same("container", "ls", "-a", "--filter", "name=" + name, "--no-trunc", "--format", "{{.ID}} {{.Names}}");
        same("image", "ls", "busybox");
        same("image", "ls", "-q");
        same("images", "--format", "{{.Repository}}:{{.Tag}}", "busybox");
        assertThat(berth("container", "rm", "-f", name).out()).isEqualTo(name + "\n");
    }

    @Test
    void containerFileCommandsMatchDocker() throws java.io.IOException {
        String name = sleeper("berthcp");
        java.nio.file.Path src = e.dir.resolve(Engine.name("cpsrc"));
        java.nio.file.Files.createDirectories(src.resolve("sub"));
        java.nio.file.Files.writeString(src.resolve("sub/f.txt"), "data\n");
        assertThat(berth("cp", src.toString(), name + ":/tmp/copied").exit()).isZero();
        assertThat(berth("exec", name, "cat", "/tmp/copied/sub/f.txt").out()).isEqualTo("data\n");
        assertThat(berth("cp", src.resolve("sub/f.txt").toString(), name + ":/tmp/").exit()).isZero();
        assertThat(berth("exec", name, "cat", "/tmp/f.txt").out()).isEqualTo("data\n");
        java.nio.file.Path back = e.dir.resolve(Engine.name("cpback"));
        assertThat(berth("cp", name + ":/tmp/copied", back.toString()).exit()).isZero();
        assertThat(java.nio.file.Files.readString(back.resolve("sub/f.txt"))).isEqualTo("data\n");
        java.nio.file.Path dback = e.dir.resolve(Engine.name("cpdback"));
        assertThat(docker("cp", name + ":/tmp/copied", dback.toString()).exit()).isZero();
        assertThat(java.nio.file.Files.readString(dback.resolve("sub/f.txt"))).isEqualTo("data\n");
        sameOut("cp", name + ":/nonexistent", back.resolve("x").toString());
        same("diff", name);
        same("port", name);
        same("top", name, "-o", "pid,comm");
        String img = Engine.name("berthcommit");
        Cmd.Result c = berth("commit", "-c", "CMD [\"cat\",\"/tmp/f.txt\"]", name, img + ":1");
        assertThat(c.exit()).as(c.describe()).isZero();
        assertThat(c.out()).startsWith("sha256:");
        same("run", "--rm", img + ":1");
        sameIgnoringAge("history", img + ":1");
        same("history", "--human=false", img + ":1");
        same("history", "-q", "--no-trunc", img + ":1");
        same("history", "--format", "{{.ID}}|{{.CreatedBy}}|{{.Size}}", img + ":1");
        Cmd.Result bt = e.sh(e.root.resolve("bin/berth") + " export " + name + " | tar t | grep -c '^tmp/f.txt$'");
        Cmd.Result dt = e.sh("docker export " + name + " | tar t | grep -c '^tmp/f.txt$'");
        assertThat(bt.out()).isEqualTo(dt.out()).isEqualTo("1\n");
        same("update", "--memory", "64m", "--memory-swap", "128m", "--pids-limit", "64", name);
        same("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}", name);
        assertThat(berth("rm", "-f", name).out()).isEqualTo(name + "\n");
        assertThat(berth("image", "rm", img + ":1").out()).startsWith("Untagged: " + img + ":1\n");
    }

    @Test
    void buildMatchesDocker() throws java.io.IOException {
        java.nio.file.Path ctx = e.dir.resolve(Engine.name("bctx"));
        java.nio.file.Files.createDirectories(ctx.resolve("skip"));
        java.nio.file.Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nCOPY . /ctx\nCMD [\"ls\", \"/ctx\"]\n");
        java.nio.file.Files.writeString(ctx.resolve("keep.txt"), "k\n");
        java.nio.file.Files.writeString(ctx.resolve("skip/x"), "x\n");
        java.nio.file.Files.writeString(ctx.resolve(".dockerignore"), "skip\n*.tmp\n");
        java.nio.file.Files.writeString(ctx.resolve("a.tmp"), "t\n");
        String tb = Engine.name("berthbuild") + ":b";
        String td = Engine.name("berthbuild") + ":d";
        Cmd.Result b = berth("build", "-q", "-t", tb, ctx.toString());
        assertThat(b.exit()).as(b.describe()).isZero();
        assertThat(b.out().trim()).startsWith("sha256:");
        Cmd.Result d = e.sh("DOCKER_BUILDKIT=0 docker build -q -t " + td + " " + ctx);
        assertThat(d.exit()).as(d.describe()).isZero();
        assertThat(berth("run", "--rm", tb).out()).isEqualTo(ok("run", "--rm", td)).isEqualTo("Dockerfile\nkeep.txt\n");
        sameOut("build", "-t", tb, "/nonexistent-ctx");
        assertThat(berth("rmi", tb).exit()).isZero();
        assertThat(docker("rmi", td).exit()).isZero();
    }

    @Test
    void pruneAndSystemMatchDocker() {
        String name = Engine.name("berthprune");
        assertThat(berth("create", "--name", name, "busybox", "true").exit()).isZero();
        Cmd.Result p = berth("container", "prune", "-f", "--filter", "label=nosuch-label-e2e");
        assertThat(p.exit()).as(p.describe()).isZero();
        assertThat(p.out()).isEqualTo(ok("container", "prune", "-f", "--filter", "label=nosuch-label-e2e"));
        assertThat(berth("container", "rm", name).out()).isEqualTo(name + "\n");
        same("network", "prune", "-f", "--filter", "label=nosuch-label-e2e");
        assertThat(berth("system", "df").exit()).isZero();
        Cmd.Result comp = berth("completion", "bash");
        assertThat(comp.exit()).isZero();
        assertThat(comp.out()).contains("complete").contains("container");
    }
}
