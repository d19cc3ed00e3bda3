package dev.berth.cli;

import dev.berth.api.model.NetworkConnectRequest;
import dev.berth.api.model.NetworkingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Management command groups ({@code container …}, {@code image …}), {@code registry …},
 * {@code completion} and the network connect/disconnect subcommands. The groups reuse the
 * top-level command classes under docker's names (e.g. {@code container ls} is {@code ps}).
 */
final class Groups {
    private Groups() {}

    /** Group name → (subcommand name → command class). */
    static final Map<String, Map<String, Class<?>>> GROUPS = groups();

    private static Map<String, Map<String, Class<?>>> groups() {
        Map<String, Class<?>> c = new LinkedHashMap<>();
        c.put("attach", ContainerMore.AttachCmd.class);
        c.put("commit", ContainerMore.CommitCmd.class);
        c.put("cp", CpCmd.class);
        c.put("create", CreateCmd.class);
        c.put("diff", ContainerMore.DiffCmd.class);
        c.put("exec", ExecCmd.class);
        c.put("export", ContainerMore.ExportCmd.class);
        c.put("inspect", InspectCmd.class);
        c.put("kill", ContainerCmds.KillCmd.class);
        c.put("logs", LogsCmd.class);
        c.put("ls", PsCmd.class);
        c.put("pause", ContainerCmds.PauseCmd.class);
        c.put("port", ContainerCmds.PortCmd.class);
        c.put("prune", Prune.ContainerPrune.class);
        c.put("rename", ContainerCmds.RenameCmd.class);
        c.put("restart", ContainerCmds.RestartCmd.class);
        c.put("rm", ContainerCmds.RmCmd.class);
        c.put("run", RunCmd.class);
        c.put("start", ContainerCmds.StartCmd.class);
        c.put("stats", StatsCmd.class);
        c.put("stop", ContainerCmds.StopCmd.class);
        c.put("top", ContainerCmds.TopCmd.class);
        c.put("unpause", ContainerCmds.UnpauseCmd.class);
        c.put("update", ContainerMore.UpdateCmd.class);
        c.put("wait", ContainerCmds.WaitCmd.class);
        Map<String, Class<?>> i = new LinkedHashMap<>();
        i.put("build", ImageMore.BuildCmd.class);
        i.put("history", ImageMore.HistoryCmd.class);
        i.put("import", ImageCmds.ImportCmd.class);
        i.put("inspect", InspectCmd.class);
        i.put("load", ImageCmds.LoadCmd.class);
        i.put("ls", ImageCmds.ImagesCmd.class);
        i.put("prune", Prune.ImagePrune.class);
        i.put("pull", ImageCmds.PullCmd.class);
        i.put("push", ImageCmds.PushCmd.class);
        i.put("rm", ImageCmds.RmiCmd.class);
        i.put("save", ImageCmds.SaveCmd.class);
        i.put("tag", ImageCmds.TagCmd.class);
        Map<String, Map<String, Class<?>>> g = new LinkedHashMap<>();
        g.put("container", c);
        g.put("image", i);
        return g;
    }

    /** A CommandLine for group {@code name} with its subcommands (aliases "list" for ls, "remove" for rm). */
    static CommandLine group(String name) {
        Object cmd = name.equals("container") ? new ContainerGroup() : new ImageGroup();
        CommandLine cl = new CommandLine(cmd);
        GROUPS.get(name).forEach((sub, cls) -> {
            CommandLine subLine = new CommandLine(cls);
            cl.addSubcommand(sub, subLine);
            if (sub.equals("run") || sub.equals("create") || sub.equals("exec") || sub.equals("top")) {
                subLine.setStopAtPositional(true);
            }
        });
        return cl;
    }

    @Command(name = "container", description = "Manage containers")
    static final class ContainerGroup implements Runnable {
        @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    @Command(name = "image", description = "Manage images")
    static final class ImageGroup implements Runnable {
        @picocli.CommandLine.Spec CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    @Command(name = "registry", description = "Run Berth's registry server (serve, garbage-collect)")
    static final class RegistryCmd extends BaseCommand {
        @Parameters(arity = "0..*", paramLabel = "serve|garbage-collect [OPTIONS]") List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (args.isEmpty()) {
                spec.commandLine().usage(out);
                return 0;
            }
            return Launcher.registry(args);
        }
    }

    @Command(name = "completion", description = "Generate the autocompletion script for the specified shell (bash or zsh)")
    static final class CompletionCmd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "SHELL") String shell;

        @Override
        public Integer call() {
            CommandLine full = Main.fullCommandLine();
            String script = picocli.AutoComplete.bash("berth", full);
            switch (shell) {
                case "bash" -> out.print(script);
                case "zsh" -> {
                    // picocli's script supports zsh through bashcompinit.
                    out.println("#compdef berth");
                    out.println("autoload -U +X compinit && compinit");
                    out.println("autoload -U +X bashcompinit && bashcompinit");
                    out.print(script);
                }
                default -> throw dev.berth.common.BerthException.invalid("unsupported shell %s (use bash or zsh)", shell);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "connect", description = "Connect a container to a network")
    static final class NetworkConnect extends BaseCommand {
        @Option(names = "--alias") List<String> aliases = new ArrayList<>();
        @Option(names = "--ip") String ip;
        @Option(names = "--ip6") String ip6;
        @Option(names = "--link") List<String> links = new ArrayList<>();
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "CONTAINER") String container;

        @Override
        public Integer call() {
            NetworkingConfig.EndpointIpamConfig ipam = ip == null && ip6 == null ? null
                    : new NetworkingConfig.EndpointIpamConfig(ip, ip6, null);
            NetworkingConfig.EndpointSettings es = new NetworkingConfig.EndpointSettings(ipam,
                    links.isEmpty() ? null : links, null, aliases.isEmpty() ? null : aliases, null, null, null, null,
                    null, null, null, null, null, null, null);
            client().networks().connect(network, new NetworkConnectRequest(container, es, false));
            return 0;
        }
    }

    @Command(name = "disconnect", description = "Disconnect a container from a network")
    static final class NetworkDisconnect extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Parameters(index = "0", paramLabel = "NETWORK") String network;
        @Parameters(index = "1", paramLabel = "CONTAINER") String container;

        @Override
        public Integer call() {
            client().networks().disconnect(network, container, force);
            return 0;
        }
    }
}
