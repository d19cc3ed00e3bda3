package dev.berth.compose.cli;

import dev.berth.api.model.ContainerSummary;
import dev.berth.compose.engine.LogPrinter;
import dev.berth.compose.engine.ProjectContainers;
import dev.berth.compose.engine.UpOptions;
import dev.berth.compose.loader.Project;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** up, down, create, start, stop, restart, rm, kill, pause, unpause. */
final class LifecycleCmds {
    private LifecycleCmds() {}

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        ComposeCommand compose;

        @Option(names = "--help", usageHelp = true, description = "Print usage")
        boolean help;

        @Parameters(arity = "0..*", paramLabel = "SERVICE")
        List<String> services = new ArrayList<>();

        Set<String> serviceSet() {
            return new LinkedHashSet<>(services);
        }
    }

    @Command(name = "up", description = "Create and start containers")
    static final class Up extends Sub {
        @Option(names = {"-d", "--detach"}) boolean detach;
        @Option(names = "--build") boolean build;
        @Option(names = "--no-build") boolean noBuild;
        @Option(names = "--force-recreate") boolean forceRecreate;
        @Option(names = "--no-recreate") boolean noRecreate;
        @Option(names = "--remove-orphans") boolean removeOrphans;
        @Option(names = "--no-deps") boolean noDeps;
        @Option(names = "--no-start") boolean noStart;
        @Option(names = "--wait") boolean waitReady;
        @Option(names = "--wait-timeout") Integer waitTimeout;
        @Option(names = "--scale", description = "SERVICE=NUM") List<String> scale = new ArrayList<>();
        @Option(names = "--pull", description = "always|missing|never") String pull = "missing";
        @Option(names = {"-t", "--timeout"}) Integer timeout;
        @Option(names = "--no-color") boolean noColor;
        @Option(names = "--no-log-prefix") boolean noLogPrefix;
        @Option(names = "--replace-strategy", description = "recreate (default) or start-first (zero-downtime replace)")
        String replaceStrategy = "recreate";

        @Override
        public Integer call() {
            Project p = compose.project();
            p.warnings().forEach(w -> compose.progress().warn(w));
            Map<String, Integer> sc = scales(scale);
            compose.engine().up(p, new UpOptions(serviceSet(), noDeps, forceRecreate, noRecreate, removeOrphans,
                    waitReady, waitTimeout == null ? null : Duration.ofSeconds(waitTimeout), sc, !noStart, build && !noBuild,
                    pull, "start-first".equals(replaceStrategy)));
            if (detach || waitReady || noStart) {
                return 0;
            }
            // attached: follow the logs until every container has stopped; Ctrl-C stops the project
            List<ContainerSummary> cs = ProjectContainers.list(compose.client(), p.name(), serviceSet(), false);
            Thread hook = new Thread(() -> {
                System.err.println("Gracefully stopping... (press Ctrl+C again to force)");
                compose.ops().stop(p, serviceSet(), timeout);
            });
            Runtime.getRuntime().addShutdownHook(hook);
            new LogPrinter(compose.client(), System.out).print(cs,
                    new LogPrinter.Options(true, null, false, compose.color() && !noColor, !noLogPrefix, null, null, true));
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down already
            }
            return 0;
        }
    }

    static Map<String, Integer> scales(List<String> scale) {
        Map<String, Integer> sc = new LinkedHashMap<>();
        for (String s : scale) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new dev.berth.common.BerthException(dev.berth.common.ErrorKind.INVALID_ARGUMENT, "invalid --scale \"" + s + "\": expected SERVICE=NUM");
            }
            sc.put(s.substring(0, eq), Integer.parseInt(s.substring(eq + 1)));
        }
        return sc;
    }

    @Command(name = "create", description = "Creates containers for a service")
    static final class Create extends Sub {
        @Option(names = "--build") boolean build;
        @Option(names = "--force-recreate") boolean forceRecreate;
        @Option(names = "--no-recreate") boolean noRecreate;
        @Option(names = "--remove-orphans") boolean removeOrphans;
        @Option(names = "--scale") List<String> scale = new ArrayList<>();
        @Option(names = "--pull") String pull = "missing";

        @Override
        public Integer call() {
            compose.engine().up(compose.project(), new UpOptions(serviceSet(), false, forceRecreate, noRecreate, removeOrphans,
                    false, null, scales(scale), false, build, pull, false));
            return 0;
        }
    }

    @Command(name = "down", description = "Stop and remove containers, networks")
    static final class Down extends Sub {
        @Option(names = {"-v", "--volumes"}) boolean volumes;
        @Option(names = "--rmi", description = "all|local") String rmi;
        @Option(names = "--remove-orphans") boolean removeOrphans;
        @Option(names = {"-t", "--timeout"}) Integer timeout;

        @Override
        public Integer call() {
            Project p = compose.projectOrName();
            compose.ops().down(p, removeOrphans || p.configFiles().isEmpty(), volumes, rmi, timeout);
            return 0;
        }
    }

    @Command(name = "start", description = "Start services")
    static final class Start extends Sub {
        @Override
        public Integer call() {
            compose.ops().start(compose.projectOrName(), serviceSet());
            return 0;
        }
    }

    @Command(name = "stop", description = "Stop services")
    static final class Stop extends Sub {
        @Option(names = {"-t", "--timeout"}) Integer timeout;

        @Override
        public Integer call() {
            compose.ops().stop(compose.projectOrName(), serviceSet(), timeout);
            return 0;
        }
    }

    @Command(name = "restart", description = "Restart service containers")
    static final class Restart extends Sub {
        @Option(names = {"-t", "--timeout"}) Integer timeout;

        @Override
        public Integer call() {
            compose.ops().restart(compose.projectOrName(), serviceSet(), timeout);
            return 0;
        }
    }

    @Command(name = "rm", description = "Removes stopped service containers")
    static final class Rm extends Sub {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = {"-s", "--stop"}) boolean stop;
        @Option(names = {"-v", "--volumes"}) boolean volumes;

        @Override
        public Integer call() {
            compose.ops().rm(compose.projectOrName(), serviceSet(), stop, volumes);
            return 0;
        }
    }

    @Command(name = "kill", description = "Force stop service containers")
    static final class Kill extends Sub {
        @Option(names = {"-s", "--signal"}) String signal = "SIGKILL";

        @Override
        public Integer call() {
            compose.ops().kill(compose.projectOrName(), serviceSet(), signal);
            return 0;
        }
    }

    @Command(name = "pause", description = "Pause services")
    static final class Pause extends Sub {
        @Override
        public Integer call() {
            compose.ops().pause(compose.projectOrName(), serviceSet());
            return 0;
        }
    }

    @Command(name = "unpause", description = "Unpause services")
    static final class Unpause extends Sub {
        @Override
        public Integer call() {
            compose.ops().unpause(compose.projectOrName(), serviceSet());
            return 0;
        }
    }
}
