package dev.berth.builder.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.builder.instructions.Dockerfile;
import dev.berth.builder.instructions.Instruction;
import dev.berth.builder.instructions.Instruction.ArgDecl;
import dev.berth.builder.instructions.Instruction.KeyValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstructionParserTest {

    private static Instruction one(String line) {
        List<Instruction> all = Dockerfile.parse("FROM base\n" + line + "\n").instructions();
        return all.get(1);
    }

    private static void fails(String line, String message) {
        assertThatThrownBy(() -> Dockerfile.parse("FROM base\n" + line + "\n"))
                .hasMessage("dockerfile parse error on line 2: " + message);
    }

    @Test
    void from() {
        var f = (Instruction.From) Dockerfile.parse("FROM --platform=linux/arm64 golang:1.22 AS Build").instructions()
                .getFirst();
        assertThat(f.image()).isEqualTo("golang:1.22");
        assertThat(f.stageName()).isEqualTo("build");
        assertThat(f.platform()).isEqualTo("linux/arm64");
        assertThatThrownBy(() -> Dockerfile.parse("FROM a b")).hasMessageContaining(
                "FROM requires either one or three arguments");
        assertThatThrownBy(() -> Dockerfile.parse("FROM a AS 1x")).hasMessageContaining(
                "invalid name for build stage: \"1x\", name can't start with a number or contain symbols");
        assertThatThrownBy(() -> Dockerfile.parse("FROM --foo=1 a")).hasMessageContaining("unknown flag: foo");
    }

    @Test
    void runShellExecAndFallback() {
        var shell = (Instruction.Run) one("RUN echo $HOME && ls");
        assertThat(shell.command().execForm()).isFalse();
        assertThat(shell.command().args()).containsExactly("echo $HOME && ls");
        var exec = (Instruction.Run) one("RUN [ \"echo\", \"$HOME\" ]");
        assertThat(exec.command().execForm()).isTrue();
        assertThat(exec.command().args()).containsExactly("echo", "$HOME");
        var bad = (Instruction.Run) one("RUN [\"c:\\windows\\system32\\tasklist.exe\"]");
        assertThat(bad.command().execForm()).isFalse();
        var single = (Instruction.Run) one("RUN ['echo', 'x']");
        assertThat(single.command().execForm()).isFalse();
        var escaped = (Instruction.Run) one("RUN [\"c:\\\\windows\\\\x.exe\", \"a\\\"b\", \"\\u00e9\"]");
        assertThat(escaped.command().args()).containsExactly("c:\\windows\\x.exe", "a\"b", "é");
        var notStrings = (Instruction.Run) one("RUN [1, 2]");
        assertThat(notStrings.command().execForm()).isFalse();
    }

    @Test
    void runFlagsKeptAsData() {
        var r = (Instruction.Run) one(
                "RUN --mount=type=cache,target=/root/.cache --network=none --security=insecure --mount=from=x,target=/y make");
        assertThat(r.mounts()).containsExactly("type=cache,target=/root/.cache", "from=x,target=/y");
        assertThat(r.network()).isEqualTo("none");
        assertThat(r.security()).isEqualTo("insecure");
        assertThat(r.flagsUsed()).containsExactly("mount", "network", "security");
        assertThat(r.command().args()).containsExactly("make");
        fails("RUN --bogus echo", "unknown flag: bogus");
        fails("RUN --network echo", "missing a value on flag: network");
        fails("RUN", "RUN requires at least one argument");
    }

    @Test
    void cmdEntrypointShell() {
        assertThat(((Instruction.Cmd) one("CMD [\"a\",\"b\"]")).command().args()).containsExactly("a", "b");
        assertThat(((Instruction.Cmd) one("CMD []")).command().execForm()).isTrue();
        assertThat(((Instruction.Entrypoint) one("ENTRYPOINT exec top -b")).command().args())
                .containsExactly("exec top -b");
        assertThat(((Instruction.Shell) one("SHELL [\"/bin/bash\", \"-c\"]")).shell()).containsExactly("/bin/bash", "-c");
        fails("SHELL /bin/bash -c", "SHELL requires the arguments to be in JSON form");
        fails("SHELL []", "SHELL requires at least one argument");
    }

    @Test
    void labelForms() {
        var l = (Instruction.Label) one("LABEL \"com.example.vendor\"=\"ACME Incorporated\" version=1.0 a=b\\ c");
        assertThat(l.labels()).containsExactly(new KeyValue("\"com.example.vendor\"", "\"ACME Incorporated\""),
                new KeyValue("version", "1.0"), new KeyValue("a", "b\\ c"));
        var legacy = (Instruction.Label) one("LABEL description this is   it");
        assertThat(legacy.labels()).containsExactly(new KeyValue("description", "this is   it"));
        var multi = (Instruction.Label) Dockerfile.parse(
                "FROM x\nLABEL multi.label1=\"value1\" \\\n      multi.label2=\"value2\" \\\n      other=\"value3\"")
                .instructions().get(1);
        assertThat(multi.labels()).hasSize(3);
        fails("LABEL a=b c", "Syntax error - can't find = in \"c\". Must be of the form: name=value");
        fails("LABEL", "LABEL requires at least one argument");
    }

    @Test
    void envForms() {
        var e = (Instruction.Env) one("ENV MY_NAME=\"John Doe\" MY_DOG=Rex\\ The\\ Dog MY_CAT=fluffy");
        assertThat(e.vars()).containsExactly(new KeyValue("MY_NAME", "\"John Doe\""),
                new KeyValue("MY_DOG", "Rex\\ The\\ Dog"), new KeyValue("MY_CAT", "fluffy"));
        var legacy = (Instruction.Env) one("ENV ONE TWO= THREE=world");
        assertThat(legacy.vars()).containsExactly(new KeyValue("ONE", "TWO= THREE=world"));
        var empty = (Instruction.Env) one("ENV A= B=\"\"");
        assertThat(empty.vars()).containsExactly(new KeyValue("A", ""), new KeyValue("B", "\"\""));
        fails("ENV ONLYKEY", "ENV must have two arguments");
        fails("ENV =x", "ENV names can not be blank");
    }

    @Test
    void argForms() {
        var a = (Instruction.Arg) one("ARG user1=someuser buildno \"q=a b\"");
        assertThat(a.args()).containsExactly(new ArgDecl("user1", "someuser"), new ArgDecl("buildno", null),
                new ArgDecl("\"q", "a b\""));
        fails("ARG", "ARG requires at least one argument");
        fails("ARG =1", "ARG names can not be blank");
    }

    @Test
    void copyAndAdd() {
        var c = (Instruction.Copy) one(
                "COPY --from=build --chown=55:mygroup --chmod=644 --link --parents --exclude=*.txt --exclude=*.md a b /dst/");
        assertThat(c.from()).isEqualTo("build");
        assertThat(c.chown()).isEqualTo("55:mygroup");
        assertThat(c.chmod()).isEqualTo("644");
        assertThat(c.link()).isTrue();
        assertThat(c.parents()).isTrue();
        assertThat(c.excludes()).containsExactly("*.txt", "*.md");
        assertThat(c.sources()).containsExactly("a", "b");
        assertThat(c.dest()).isEqualTo("/dst/");
        assertThat(c.flagsUsed()).containsExactly("from", "chown", "chmod", "link", "parents", "exclude");
        var json = (Instruction.Copy) one("COPY [\"my file\", \"/dest dir/\"]");
        assertThat(json.sources()).containsExactly("my file");
        assertThat(json.dest()).isEqualTo("/dest dir/");
        var add = (Instruction.Add) one(
                "ADD --checksum=sha256:abc --keep-git-dir=true --chown=1 https://example.com/a.tgz /x/");
        assertThat(add.checksum()).isEqualTo("sha256:abc");
        assertThat(add.keepGitDir()).isTrue();
        assertThat(add.sources()).containsExactly("https://example.com/a.tgz");
        fails("COPY a", "COPY requires at least two arguments, but only one was provided. Destination could not be determined.");
        fails("ADD --link=maybe a b", "expecting boolean value for flag link, not: maybe");
        fails("COPY --from=a --from=b x y", "duplicate flag specified: from");
    }

    @Test
    void copyHeredoc() {
        var c = (Instruction.Copy) Dockerfile.parse("FROM x\nCOPY <<EOF greeting.txt\nhello world\nEOF\n")
                .instructions().get(1);
        assertThat(c.sources()).containsExactly("<<EOF");
        assertThat(c.dest()).isEqualTo("greeting.txt");
        assertThat(c.heredocs().getFirst().content()).isEqualTo("hello world\n");
    }

    @Test
    void simpleOneArgInstructions() {
        assertThat(((Instruction.User) one("USER patrick:staff")).user()).isEqualTo("patrick:staff");
        assertThat(((Instruction.Workdir) one("WORKDIR /a b")).path()).isEqualTo("/a b");
        assertThat(((Instruction.Maintainer) one("MAINTAINER Luiz <l@x>")).maintainer()).isEqualTo("Luiz <l@x>");
        assertThat(((Instruction.StopSignal) one("STOPSIGNAL SIGKILL")).signal()).isEqualTo("SIGKILL");
        fails("WORKDIR", "WORKDIR requires exactly one argument");
        fails("USER --x=1 a", "unknown flag: x");
    }

    @Test
    void exposeAndVolume() {
        assertThat(((Instruction.Expose) one("EXPOSE 80/tcp 80/udp  $PORT")).ports())
                .containsExactly("80/tcp", "80/udp", "$PORT");
        assertThat(((Instruction.Volume) one("VOLUME [\"/data\"]")).volumes()).containsExactly("/data");
        assertThat(((Instruction.Volume) one("VOLUME /var/log /var/db")).volumes()).containsExactly("/var/log", "/var/db");
        fails("EXPOSE", "EXPOSE requires at least one argument");
    }

    @Test
    void onbuild() {
        var o = (Instruction.Onbuild) one("ONBUILD RUN --mount=from=config,target=/opt ./build");
        assertThat(o.expression()).isEqualTo("RUN --mount=from=config,target=/opt ./build");
        assertThat(o.trigger()).isInstanceOfSatisfying(Instruction.Run.class,
                r -> assertThat(r.mounts()).containsExactly("from=config,target=/opt"));
        var add = (Instruction.Onbuild) one("onbuild ADD . /app/src");
        assertThat(add.trigger()).isInstanceOf(Instruction.Add.class);
        fails("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        fails("ONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger");
        fails("ONBUILD maintainer x", "MAINTAINER isn't allowed as an ONBUILD trigger");
        fails("ONBUILD", "ONBUILD requires at least one argument");
    }

    @Test
    void healthcheck() {
        var h = (Instruction.Healthcheck) one(
                "HEALTHCHECK --interval=5m --timeout=3s --start-period=1m30s --start-interval=500ms --retries=4 \\\n  CMD curl -f http://localhost/ || exit 1");
        assertThat(h.test()).containsExactly("CMD-SHELL", "curl -f http://localhost/ || exit 1");
        assertThat(h.interval()).isEqualTo(300_000_000_000L);
        assertThat(h.timeout()).isEqualTo(3_000_000_000L);
        assertThat(h.startPeriod()).isEqualTo(90_000_000_000L);
        assertThat(h.startInterval()).isEqualTo(500_000_000L);
        assertThat(h.retries()).isEqualTo(4);
        var exec = (Instruction.Healthcheck) one("HEALTHCHECK CMD [\"/bin/check\", \"-q\"]");
        assertThat(exec.test()).containsExactly("CMD", "/bin/check", "-q");
        assertThat(((Instruction.Healthcheck) one("HEALTHCHECK none")).none()).isTrue();
        fails("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments");
        fails("HEALTHCHECK TEST x", "Unknown type \"TEST\" in HEALTHCHECK (try CMD)");
        fails("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD");
        fails("HEALTHCHECK --retries=0 CMD x", "--retries must be at least 1 (not 0)");
        fails("HEALTHCHECK --interval=1ns CMD x", "Interval \"interval\" cannot be less than 1ms");
    }

    @Test
    void keepsOriginalTextAndLines() {
        Dockerfile df = Dockerfile.parse("FROM busybox\n\n# c\nRUN echo a \\\n  b\nCMD [\"sh\"]\n");
        assertThat(df.instructions()).extracting(Instruction::original)
                .containsExactly("FROM busybox", "RUN echo a   b", "CMD [\"sh\"]");
        assertThat(df.instructions().get(1).origin().startLine()).isEqualTo(4);
        assertThat(df.instructions().get(1).origin().endLine()).isEqualTo(5);
    }

    @Test
    void everyInstructionKindParses() {
        String text = """
                # syntax=docker/dockerfile:1
                ARG BASE=busybox
                FROM ${BASE} AS base
                RUN echo hi
                CMD ["sh"]
                LABEL a=b
                MAINTAINER me
                EXPOSE 80
                ENV A=1
                ADD a.txt /
                COPY b.txt /
                ENTRYPOINT ["/bin/sh"]
                VOLUME /v
                USER root
                WORKDIR /w
                ARG X
                ONBUILD RUN true
                STOPSIGNAL SIGTERM
                HEALTHCHECK NONE
                SHELL ["/bin/sh", "-c"]
                """;
        assertThat(Dockerfile.parse(text).instructions()).hasSize(19)
                .extracting(i -> i.getClass().getSimpleName())
                .containsExactly("Arg", "From", "Run", "Cmd", "Label", "Maintainer", "Expose", "Env", "Add", "Copy",
                        "Entrypoint", "Volume", "User", "Workdir", "Arg", "Onbuild", "StopSignal", "Healthcheck",
                        "Shell");
    }
}
