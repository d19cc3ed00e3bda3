package dev.berth.compose.cli;

import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.ExecCreateRequest;
import dev.berth.client.BerthClient;
import dev.berth.client.Hijacked;
import dev.berth.client.StdFrames;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import dev.berth.compose.engine.ComposeEngine;
import dev.berth.compose.engine.ConfigHash;
import dev.berth.compose.engine.ContainerBody;
import dev.berth.compose.engine.Naming;
import dev.berth.compose.engine.ProjectContainers;
import dev.berth.compose.engine.SecretFiles;
import dev.berth.compose.engine.UpOptions;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.Values;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** exec, run, pull, push, build, cp. */
final class ExecCmds {
    private ExecCmds() {}

    @Command(name = "exec", description = "Execute a command in a running container")
    static final class Exec implements Callable<Integer> {
        /** Everything after SERVICE belongs to the command (like docker exec/run), even when wired without configure(). */
        @picocli.CommandLine.Spec
        void stopAtPositional(picocli.CommandLine.Model.CommandSpec spec) {
            spec.parser().stopAtPositional(true);
        }

        @ParentCommand ComposeCommand compose;
        @Option(names = {"-d", "--detach"}) boolean detach;
        @Option(names = {"-T", "--no-TTY", "--no-tty"}) boolean noTty;
        @Option(names = {"-e", "--env"}) List<String> env = new ArrayList<>();
        @Option(names = {"-u", "--user"}) String user;
        @Option(names = {"-w", "--workdir"}) String workdir;
        @Option(names = "--index") int index = 1;
        @Option(names = "--privileged") boolean privileged;
        @Option(names = "--help", usageHelp = true) boolean help;
        @Parameters(index = "0") String service;
        @Parameters(index = "1..*", arity = "1..*") List<String> command;

        @Override
        public Integer call() throws Exception {
            Project p = compose.project();
            ContainerSummary c = ProjectContainers.list(compose.client(), p.name(), Set.of(service), false).stream()
                    .filter(x -> ProjectContainers.number(x) == index).findFirst()
                    .orElseThrow(() -> new BerthException(ErrorKind.NOT_FOUND, "service \"" + service + "\" is not running"));
            if (!"running".equals(c.state())) {
                throw new BerthException(ErrorKind.CONFLICT, "service \"" + service + "\" is not running");
            }
            boolean tty = !noTty && System.console() != null;
            BerthClient client = compose.client();
            String execId = client.exec().create(c.id(), new ExecCreateRequest(!detach, !detach, !detach, null, null, tty,
                    env, command, privileged, user, workdir));
            if (detach) {
                client.exec().startDetached(execId, tty);
                return 0;
            }
            try (Hijacked h = client.exec().startAttached(execId, tty, null)) {
                pump(h, tty);
            }
            return client.exec().inspect(execId).exitCode();
        }
    }

    /** Copies stdin to the hijacked connection and its output to stdout/stderr until EOF. */
    static void pump(Hijacked h, boolean tty) throws IOException {
        Thread in = Thread.ofVirtual().start(() -> {
            try {
                System.in.transferTo(h.stdin());
                h.stdin().flush();
            } catch (IOException ignored) {
                // the other side closed
            } finally {
                h.closeWrite();
            }
        });
        if (tty || h.tty()) {
            h.output().transferTo(System.out);
        } else {
            StdFrames.demux(h.output(), System.out, System.err);
        }
        System.out.flush();
        in.interrupt();
    }

    @Command(name = "run", description = "Run a one-off command on a service")
    static final class Run implements Callable<Integer> {
        /** Everything after SERVICE belongs to the command (like docker exec/run), even when wired without configure(). */
        @picocli.CommandLine.Spec
        void stopAtPositional(picocli.CommandLine.Model.CommandSpec spec) {
            spec.parser().stopAtPositional(true);
        }

        @ParentCommand ComposeCommand compose;
        @Option(names = {"-d", "--detach"}) boolean detach;
        @Option(names = "--rm") boolean rm;
        @Option(names = "--name") String name;
        @Option(names = {"-e", "--env"}) List<String> env = new ArrayList<>();
        @Option(names = {"-l", "--label"}) List<String> labels = new ArrayList<>();
        @Option(names = "--entrypoint") String entrypoint;
        @Option(names = {"-u", "--user"}) String user;
        @Option(names = {"-w", "--workdir"}) String workdir;
        @Option(names = {"-T", "--no-TTY"}) boolean noTty;
        @Option(names = {"-i", "--interactive"}) boolean interactive = true;
        @Option(names = "--no-deps") boolean noDeps;
        @Option(names = {"-P", "--service-ports"}) boolean servicePorts;
        @Option(names = {"-p", "--publish"}) List<String> publish = new ArrayList<>();
        @Option(names = {"-v", "--volume"}) List<String> volumes = new ArrayList<>();
        @Option(names = "--help", usageHelp = true) boolean help;
        @Parameters(index = "0") String service;
        @Parameters(index = "1..*", arity = "0..*") List<String> command = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Project p = compose.project();
            ComposeEngine engine = compose.engine();
            List<String> deps = noDeps ? List.of() : new ArrayList<>(ComposeEngine.select(p, Set.of(service), true));
            deps.remove(service);
            if (!deps.isEmpty()) {
                engine.up(p, new UpOptions(new LinkedHashSet<>(deps), false, false, false, false, false, null, Map.of(), true, false, "missing", false));
            }
            engine.prepare(p, List.of(service));
            Map<String, Object> s = Values.deepCopyMap(p.service(service));
            if (!command.isEmpty()) {
                s.put("command", new ArrayList<Object>(command));
            }
            if (entrypoint != null) {
                s.put("entrypoint", new ArrayList<Object>(dev.berth.common.ShellWords.split(entrypoint)));
            }
            Map<String, Object> environment = Values.mapIn(s, "environment");
            for (String e : env) {
                int eq = e.indexOf('=');
                environment.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? System.getenv(e) : e.substring(eq + 1));
            }
            Map<String, Object> lbl = Values.mapIn(s, "labels");
            labels.forEach(l -> lbl.put(l.split("=", 2)[0], l.contains("=") ? l.split("=", 2)[1] : ""));
            if (user != null) {
                s.put("user", user);
            }
            if (workdir != null) {
                s.put("working_dir", workdir);
            }
            if (!servicePorts) {
                s.remove("ports");
            }
            if (!publish.isEmpty()) {
                List<Object> ports = new ArrayList<>();
                publish.forEach(x -> ports.addAll(dev.berth.compose.loader.Ports.parse(x)));
                s.put("ports", ports);
            }
            if (!volumes.isEmpty()) {
                List<Object> vs = new ArrayList<>(Values.list(s, "volumes"));
                volumes.forEach(v -> vs.add(dev.berth.compose.loader.Mounts.parse(v)));
                s.put("volumes", vs);
            }
            s.remove("restart");
            s.remove("container_name");
            s.remove("healthcheck");
            boolean tty = !noTty && System.console() != null && !detach;
            s.put("tty", tty);
            s.put("stdin_open", interactive && !detach);
            String slug = HexFormat.of().formatHex(randomBytes());
            lbl.put("com.docker.compose.slug", slug);
            String containerName = name != null ? name : Naming.oneOff(p.name(), service, slug);
            Map<String, Object> body = ContainerBody.build(p, service, 1, true, ConfigHash.of(p.service(service)), s,
                    new SecretFiles(ComposeCommand.stateDir()));
            if (!detach) {
                body.put("AttachStdin", interactive);
                body.put("AttachStdout", true);
                body.put("AttachStderr", true);
                body.put("StdinOnce", interactive);
            }
            BerthClient client = compose.client();
            String id = client.containers().create(containerName, null, Json.mapper().valueToTree(body)).id();
            if (detach) {
                client.containers().start(id);
                System.out.println(containerName);
                return 0;
            }
            int code;
            try (Hijacked h = client.containers().attach(id, interactive, true, true, tty, null)) {
                var waiter = client.containers().startWait(id, "next-exit");
                client.containers().start(id);
                if (interactive) {
                    pump(h, tty);
                } else if (tty) {
                    h.output().transferTo(System.out);
                } else {
                    StdFrames.demux(h.output(), System.out, System.err);
                }
                code = (int) waiter.result().statusCode();
            }
            if (rm) {
                client.containers().remove(id, true, true, false);
            }
            return code;
        }

        private static byte[] randomBytes() {
            byte[] b = new byte[16];
            ThreadLocalRandom.current().nextBytes(b);
            return b;
        }
    }

    @Command(name = "pull", description = "Pull service images")
    static final class Pull extends LifecycleCmds.Sub {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--ignore-buildable") boolean ignoreBuildable;
        @Option(names = "--ignore-pull-failures") boolean ignoreFailures;

        @Override
        public Integer call() {
            Project p = compose.project();
            for (String s : ComposeEngine.select(p, serviceSet(), false)) {
                Map<String, Object> svc = p.service(s);
                if (svc.get("image") == null || (ignoreBuildable && svc.get("build") != null)) {
                    continue;
                }
                String image = Values.str(svc.get("image"));
                try {
                    dev.berth.compose.engine.Pulls.pull(compose.client(), compose.progress(), s, image);
                } catch (BerthException e) {
                    if (!ignoreFailures) {
                        throw e;
                    }
                    compose.progress().warn(e.getMessage());
                }
            }
            return 0;
        }
    }

    @Command(name = "push", description = "Push service images")
    static final class Push extends LifecycleCmds.Sub {
        @Override
        public Integer call() {
            Project p = compose.project();
            for (String s : ComposeEngine.select(p, serviceSet(), false)) {
                Map<String, Object> svc = p.service(s);
                if (svc.get("image") == null) {
                    continue;
                }
                String image = Values.str(svc.get("image"));
                compose.progress().event("Image", image, "Pushing");
                List<String> errors = new ArrayList<>();
                int colon = image.lastIndexOf(':');
                boolean tagged = colon > image.lastIndexOf('/');
                compose.client().images().push(tagged ? image.substring(0, colon) : image, tagged ? image.substring(colon + 1) : "latest",
                        null, m -> {
                            if (m.error() != null) {
                                errors.add(m.error());
                            }
                        });
                if (!errors.isEmpty()) {
                    throw new BerthException(ErrorKind.INTERNAL, s + ": " + errors.getFirst());
                }
                compose.progress().event("Image", image, "Pushed");
            }
            return 0;
        }
    }

    @Command(name = "build", description = "Build or rebuild services")
    static final class Build extends LifecycleCmds.Sub {
        @Override
        public Integer call() {
            Project p = compose.project();
            for (String s : ComposeEngine.select(p, serviceSet(), false)) {
                if (p.service(s).get("build") != null) {
                    dev.berth.compose.engine.Pulls.build(compose.client(), compose.progress(), p, s);
                }
            }
            return 0;
        }
    }

    @Command(name = "cp", description = "Copy files/folders between a service container and the local filesystem")
    static final class Cp implements Callable<Integer> {
        @ParentCommand ComposeCommand compose;
        @Option(names = "--index") int index = 1;
        @Option(names = "--help", usageHelp = true) boolean help;
        @Parameters(index = "0", paramLabel = "SRC") String src;
        @Parameters(index = "1", paramLabel = "DEST") String dest;

        @Override
        public Integer call() {
            Project p = compose.project();
            boolean fromContainer = src.contains(":");
            String ref = fromContainer ? src : dest;
            if (fromContainer == dest.contains(":")) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, "copying between services is not supported; exactly one of SRC and DEST must be SERVICE:PATH");
            }
            String service = ref.substring(0, ref.indexOf(':'));
            String path = ref.substring(ref.indexOf(':') + 1);
            ContainerSummary c = ProjectContainers.list(compose.client(), p.name(), Set.of(service), false).stream()
                    .filter(x -> ProjectContainers.number(x) == index).findFirst()
                    .orElseThrow(() -> new BerthException(ErrorKind.NOT_FOUND, "no container found for service \"" + service + "\""));
            var copier = new dev.berth.compose.engine.Copier(compose.client());
            if (fromContainer) {
                copier.fromContainer(c.id(), path, java.nio.file.Path.of(dest));
            } else {
                copier.toContainer(java.nio.file.Path.of(src), c.id(), path);
            }
            compose.progress().event("Container", ProjectContainers.name(c), "Copied");
            return 0;
        }
    }
}
