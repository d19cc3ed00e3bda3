package dev.berth.cli;

import dev.berth.client.BerthClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root {@code berth} command: global options and the list of subcommands. */
@Command(name = "berth", mixinStandardHelpOptions = false,
        description = "A self-sufficient runtime for containers (Docker-compatible).")
public final class Berth implements Runnable {
    /**
     * The subcommands by name. They are registered lazily (only the one being run), because
     * picocli introspects every registered command class at start-up and the CLI must start fast.
     */
    static final java.util.Map<String, Class<?>> COMMANDS = commands();

    private static java.util.Map<String, Class<?>> commands() {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        for (Class<?> c : new Class<?>[] {
            VersionCmd.class, InfoCmd.class, SystemCmd.class, EventsCmd.class, PsCmd.class,
            RunCmd.class, CreateCmd.class, ContainerCmds.StartCmd.class, ContainerCmds.StopCmd.class,
            ContainerCmds.KillCmd.class, ContainerCmds.RmCmd.class, ContainerCmds.RestartCmd.class,
            ContainerCmds.PauseCmd.class, ContainerCmds.UnpauseCmd.class, ContainerCmds.RenameCmd.class,
            ContainerCmds.WaitCmd.class, ContainerCmds.TopCmd.class, ContainerCmds.PortCmd.class, StatsCmd.class,
            LogsCmd.class, InspectCmd.class, ExecCmd.class,
            ImageCmds.ImagesCmd.class, ImageCmds.RmiCmd.class, ImageCmds.TagCmd.class, ImageCmds.SaveCmd.class,
            ImageCmds.LoadCmd.class, ImageCmds.ImportCmd.class, ImageCmds.PullCmd.class, ImageCmds.PushCmd.class,
            VolumeCmd.class, NetworkCmd.class,
            ContainerMore.AttachCmd.class, ContainerMore.DiffCmd.class, ContainerMore.CommitCmd.class,
            ContainerMore.ExportCmd.class, ContainerMore.UpdateCmd.class, CpCmd.class,
            ImageMore.HistoryCmd.class, ImageMore.BuildCmd.class, ImageMore.LoginCmd.class, ImageMore.LogoutCmd.class,
            Groups.RegistryCmd.class, Groups.CompletionCmd.class,
            dev.berth.compose.cli.ComposeCommand.class}) {
            m.put(c.getAnnotation(Command.class).name(), c);
        }
        return m;
    }

    @Option(names = {"-H", "--host"}, description = "Daemon socket to connect to")
    String host;

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode")
    boolean debug;

    @Option(names = "--tls", description = "Use TLS; implied by --tlsverify")
    boolean tls;

    @Option(names = "--tlsverify", description = "Use TLS and verify the remote")
    boolean tlsVerify;

    @Option(names = "--tlscacert", description = "Trust certs signed only by this CA")
    String tlsCaCert;

    @Option(names = "--tlscert", description = "Path to TLS certificate file")
    String tlsCert;

    @Option(names = "--tlskey", description = "Path to TLS key file")
    String tlsKey;

    @Option(names = {"-v", "--version"}, description = "Print version information and quit")
    boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print usage")
    boolean help;

    private BerthClient client;

    BerthClient client() {
        if (client == null) {
            Launcher.ensureDefaultEngine(host, System.getenv());
            client = BerthClient.connect(host, tlsConfig());
        }
        return client;
    }

    /** TLS from the flags (as docker: --tlsverify implies --tls), else from the environment. */
    dev.berth.client.TlsConfig tlsConfig() {
        if (!tls && !tlsVerify && tlsCaCert == null && tlsCert == null && tlsKey == null) {
            return dev.berth.client.TlsConfig.fromEnv(System.getenv());
        }
        String dir = System.getenv("DOCKER_CERT_PATH");
        var base = dev.berth.client.TlsConfig.inDir(dir == null || dir.isEmpty()
                ? java.nio.file.Path.of(System.getProperty("user.home"), ".docker") : java.nio.file.Path.of(dir), tlsVerify);
        return new dev.berth.client.TlsConfig(tlsCaCert != null ? java.nio.file.Path.of(tlsCaCert) : base.caCert(),
                tlsCert != null ? java.nio.file.Path.of(tlsCert) : base.cert(),
                tlsKey != null ? java.nio.file.Path.of(tlsKey) : base.key(), tlsVerify);
    }

    @Override
    public void run() {
        if (version) {
            System.out.println("Berth version " + VersionCmd.CLIENT_VERSION);
            return;
        }
        picocli.CommandLine.usage(this, System.out);
    }
}
