package dev.berth.cli;

import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.ContainerTop;
import dev.berth.api.model.HostConfig;
import dev.berth.client.Hijacked;
import dev.berth.client.WaitHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Container lifecycle commands that act on names/ids and print them back, as docker does. */
final class ContainerCmds {
    private ContainerCmds() {}

    @Command(name = "start", description = "Start one or more stopped containers")
    static final class StartCmd extends BaseCommand {
        @Option(names = {"-a", "--attach"}) boolean attach;
        @Option(names = {"-i", "--interactive"}) boolean interactive;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> ids;

        @Override
        public Integer call() {
            if (!attach && !interactive) {
                return forEach(ids, id -> {
                    client().containers().start(id);
                    out.println(id);
                });
            }
            String id = ids.getFirst();
            ContainerInspect c = client().containers().inspect(id);
            boolean tty = c.config() != null && c.config().tty();
            Hijacked h = client().containers().attach(id, interactive, true, true, tty, null);
            WaitHandle w = client().containers().startWait(id, "next-exit");
            client().containers().start(id);
            AttachIO.pump(h, interactive, out, err);
            h.close();
            return (int) w.result().statusCode();
        }
    }

    @Command(name = "stop", description = "Stop one or more running containers")
    static final class StopCmd extends BaseCommand {
        @Option(names = {"-t", "--timeout", "--time"}) Integer timeout;
        @Option(names = {"-s", "--signal"}) String signal;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> ids;

        @Override
        public Integer call() {
            return forEach(ids, id -> {
                client().containers().stop(id, timeout, signal);
                out.println(id);
            });
        }
    }

    @Command(name = "restart", description = "Restart one or more containers")
    static final class RestartCmd extends BaseCommand {
        @Option(names = {"-t", "--timeout", "--time"}) Integer timeout;
        @Option(names = {"-s", "--signal"}) String signal;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> ids;

        @Override
        public Integer call() {
            return forEach(ids, id -> {
                client().containers().restart(id, timeout, signal);
                out.println(id);
            });
        }
    }

    @Command(name = "kill", description = "Kill one or more running containers")
    static final class KillCmd extends BaseCommand {
        @Option(names = {"-s", "--signal"}) String signal;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> ids;

        @Override
        public Integer call() {
            return forEach(ids, id -> {
                client().containers().kill(id, signal);
                out.println(id);
            });
        }
    }

    @Command(name = "rm", description = "Remove one or more containers")
    static final class RmCmd extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = {"-v", "--volumes"}) boolean volumes;
        @Option(names = {"-l", "--link"}) boolean link;
        @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> ids;

        @Override
        public Integer call() {
            return forEach(ids, id -> {
                client().containers().remove(id, force, volumes, link);
                out.println(id);
            });
        }
    }

    @Command(name = "pause", description = "Pause all processes within one or more containers")
    static final class PauseCmd extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> ids;

        @Override
        public Integer call() {
            return forEach(ids, id -> {
                client().containers().pause(id);
                out.println(id);
            });
        }
    }

    @Command(name = "unpause", description = "Unpause all processes within one or more containers")
    static final class UnpauseCmd extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> ids;

        @Override
        public Integer call() {
            return forEach(ids, id -> {
                client().containers().unpause(id);
                out.println(id);
            });
        }
    }

    @Command(name = "rename", description = "Rename a container")
    static final class RenameCmd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER") String id;
        @Parameters(index = "1", paramLabel = "NEW_NAME") String newName;

        @Override
        public Integer call() {
            client().containers().rename(id, newName);
            return 0;
        }
    }

    @Command(name = "wait", description = "Block until one or more containers stop, then print their exit codes")
    static final class WaitCmd extends BaseCommand {
        @Parameters(arity = "1..*", paramLabel = "CONTAINER") List<String> ids;

        @Override
        public Integer call() {
            return forEach(ids, id -> out.println(client().containers().waitFor(id, "not-running").statusCode()));
        }
    }

    @Command(name = "top", description = "Display the running processes of a container")
    static final class TopCmd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER") String id;
        @Parameters(index = "1..*", paramLabel = "PS OPTIONS") List<String> psArgs = new ArrayList<>();

        @Override
        public Integer call() {
            ContainerTop top = client().containers().top(id, psArgs.isEmpty() ? null : String.join(" ", psArgs));
            Table t = new Table(20);
            t.row(top.titles().toArray(String[]::new));
            top.processes().forEach(p -> t.row(p.toArray(String[]::new)));
            t.print(out);
            return 0;
        }
    }

    @Command(name = "port", description = "List port mappings or a specific mapping for the container")
    static final class PortCmd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "CONTAINER") String id;
        @Parameters(index = "1", arity = "0..1", paramLabel = "PRIVATE_PORT[/PROTO]") String port;

        @Override
        public Integer call() {
            ContainerInspect c = client().containers().inspect(id);
            Map<String, List<HostConfig.PortBinding>> ports = c.networkSettings() == null || c.networkSettings().ports() == null
                    ? Map.of() : new TreeMap<>(c.networkSettings().ports());
            if (port != null) {
                String key = SpecBuilder.withProto(port);
                List<HostConfig.PortBinding> b = ports.get(key);
                if (b == null || b.isEmpty()) {
                    err.println("Error: No public port '" + key + "' published for " + id);
                    return 1;
                }
                b.forEach(x -> out.println(addr(x)));
                return 0;
            }
            ports.forEach((k, v) -> {
                if (v != null) {
                    v.forEach(x -> out.println(k + " -> " + addr(x)));
                }
            });
            return 0;
        }

        private static String addr(HostConfig.PortBinding b) {
            String ip = b.hostIp() == null || b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp();
            return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + b.hostPort();
        }
    }
}
