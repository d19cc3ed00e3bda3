package dev.berth.cli;

import dev.berth.client.BerthClient;
import dev.berth.client.EngineException;
import dev.berth.client.Hijacked;
import dev.berth.client.WaitHandle;
import dev.berth.common.BerthException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code berth run}: create, attach (before start), wait, start; exits with the container's
 * status. 125 for engine errors, 126/127 when the command cannot be run, as docker.
 */
@Command(name = "run", description = "Create and run a new container from an image")
final class RunCmd extends BaseCommand {
    @Mixin
    RunOptions o;

    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    boolean detach;

    @Option(names = "--sig-proxy", defaultValue = "true", arity = "0..1", description = "Proxy received signals to the process")
    boolean sigProxy;

    @Override
    int daemonErrorExit() {
        return 125;
    }

    @Override
    boolean runStyleErrors() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        if (detach && o.rm && o.restart != null && !o.restart.equals("no")) {
            throw BerthException.invalid("conflicting options: cannot specify both --restart and --rm");
        }
        if (!detach && o.interactive && o.tty && !Terminal.isTerminal()) {
            err.println("the input device is not a TTY");
            return 1;
        }
        BerthClient client = client();
        String id = CreateCmd.create(client, o, !detach, err);
        if (detach) {
            // As docker: the wait is opened before start (so a fast exit is not missed), then abandoned.
            WaitHandle wait = client.containers().startWait(id, o.rm ? "removed" : "next-exit");
            try {
                start(client, id);
            } finally {
                wait.close();
            }
            out.println(id);
            return 0;
        }
        boolean attachStdin = o.interactive;
        Hijacked h = client.containers().attach(id, attachStdin, true, true, o.tty, o.detachKeys);
        WaitHandle wait = client.containers().startWait(id, o.rm ? "removed" : "next-exit");
        Terminal term = new Terminal();
        boolean detached;
        try {
            try {
                start(client, id);
            } catch (RuntimeException e) {
                h.close();
                wait.close();
                throw e;
            }
            if (sigProxy && !o.tty) {
                SignalProxy.install(client, id);
            }
            if (o.tty && Terminal.isTerminal()) {
                Terminal.resizeAndWatch(size -> client.containers().resize(id, size[0], size[1]));
                if (attachStdin) {
                    term.makeRaw();
                }
            }
            detached = AttachIO.pump(h, attachStdin, attachStdin ? AttachIO.detachSequence(o.detachKeys) : null, out, err);
        } finally {
            term.restore();
            h.close();
        }
        if (detached) {
            wait.close();
            return 0;
        }
        long status = wait.result().statusCode();
        return (int) status;
    }

    private void start(BerthClient client, String id) {
        try {
            client.containers().start(id);
        } catch (EngineException e) {
            String m = e.getMessage();
            int code = m.contains("executable file not found") || m.contains("no such file or directory")
                    || m.contains("system cannot find the file specified") ? 127
                    : m.contains("permission denied") ? 126 : 125;
            err.println("berth: " + Main.describe(e));
            err.println();
            err.println("Run 'berth run --help' for more information");
            if (o.rm) {
                try {
                    client.containers().remove(id, true, true, false);
                } catch (BerthException ignored) {
                    // auto-remove may already have removed it
                }
            }
            throw new Main.Exit(code);
        }
    }
}
