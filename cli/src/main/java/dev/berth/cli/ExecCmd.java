package dev.berth.cli;

import dev.berth.api.model.ExecCreateRequest;
import dev.berth.api.model.ExecInspect;
import dev.berth.client.Hijacked;
import dev.berth.common.BerthException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code berth exec}: runs a command in a running container; exits with its exit code. */
@Command(name = "exec", description = "Execute a command in a running container")
final class ExecCmd extends BaseCommand {
    @Option(names = {"-i", "--interactive"}) boolean interactive;
    @Option(names = {"-t", "--tty"}) boolean tty;
    @Option(names = {"-d", "--detach"}) boolean detach;
    @Option(names = {"-e", "--env"}) List<String> env = new ArrayList<>();
    @Option(names = {"-u", "--user"}) String user;
    @Option(names = {"-w", "--workdir"}) String workdir;
    @Option(names = "--privileged") boolean privileged;
    @Option(names = "--detach-keys") String detachKeys;
    @Parameters(index = "0", paramLabel = "CONTAINER") String container;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND") List<String> command;

    @Override
    public Integer call() {
        List<Integer> size = null;
        boolean terminal = tty && Terminal.isTerminal();
        if (terminal) {
            int[] s = Terminal.size();
            size = s == null ? null : List.of(s[0], s[1]);
        }
        List<String> envs = new ArrayList<>();
        for (String e : env) {
            if (e.contains("=")) {
                envs.add(e);
            } else if (System.getenv(e) != null) {
                envs.add(e + "=" + System.getenv(e));
            }
        }
        ExecCreateRequest req = new ExecCreateRequest(interactive && !detach, !detach, !detach, size, detachKeys, tty,
                envs.isEmpty() ? null : envs, command, privileged, user, workdir);
        String execId = client().exec().create(container, req);
        if (detach) {
            client().exec().startDetached(execId, tty);
            return 0;
        }
        Hijacked h = client().exec().startAttached(execId, tty, size);
        Terminal term = new Terminal();
        try {
            if (terminal) {
                Terminal.resizeAndWatch(sz -> client().exec().resize(execId, sz[0], sz[1]));
                if (interactive) {
                    term.makeRaw();
                }
            }
            if (AttachIO.pump(h, interactive, interactive ? AttachIO.detachSequence(detachKeys) : null, out, err)) {
                return 0;
            }
        } finally {
            term.restore();
            h.close();
        }
        ExecInspect ins = client().exec().inspect(execId);
        for (int i = 0; i < 50 && ins.running(); i++) {
            sleep();
            ins = client().exec().inspect(execId);
        }
        return ins.exitCode() == null ? 0 : ins.exitCode();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
