package dev.berth.compose.cli;

import dev.berth.client.BerthClient;
import dev.berth.compose.engine.ComposeEngine;
import dev.berth.compose.engine.ProjectOps;
import dev.berth.compose.engine.Progress;
import dev.berth.compose.engine.SecretFiles;
import dev.berth.compose.loader.LoadOptions;
import dev.berth.compose.loader.Project;
import dev.berth.compose.loader.ProjectLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code berth compose …}: the picocli root of the Compose commands. Global flags as in Docker
 * Compose (-f, -p, --project-directory, --env-file, --profile). The engine connection comes from
 * the enclosing command's {@code -H/--host} option if it has one, else from BERTH_HOST/DOCKER_HOST.
 * Usable standalone: {@code new CommandLine(new ComposeCommand()).execute(args)}.
 */
@Command(name = "compose", description = "Define and run multi-container applications with Berth",
        subcommands = {
                LifecycleCmds.Up.class, LifecycleCmds.Down.class, LifecycleCmds.Create.class, LifecycleCmds.Start.class,
                LifecycleCmds.Stop.class, LifecycleCmds.Restart.class, LifecycleCmds.Rm.class, LifecycleCmds.Kill.class,
                LifecycleCmds.Pause.class, LifecycleCmds.Unpause.class,
                InfoCmds.Config.class, InfoCmds.Ps.class, InfoCmds.Logs.class, InfoCmds.Top.class, InfoCmds.Port.class,
                InfoCmds.Images.class, InfoCmds.Ls.class, InfoCmds.Version.class, InfoCmds.Events.class,
                ExecCmds.Exec.class, ExecCmds.Run.class, ExecCmds.Pull.class, ExecCmds.Push.class, ExecCmds.Build.class,
                ExecCmds.Cp.class})
public final class ComposeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--file"}, description = "Compose configuration files")
    List<Path> files = new ArrayList<>();

    @Option(names = {"-p", "--project-name"}, description = "Project name")
    String projectName;

    @Option(names = "--project-directory", description = "Specify an alternate working directory")
    Path projectDirectory;

    @Option(names = "--env-file", description = "Specify an alternate environment file")
    List<Path> envFiles = new ArrayList<>();

    @Option(names = "--profile", description = "Specify a profile to enable")
    List<String> profiles = new ArrayList<>();

    @Option(names = "--ansi", description = "Control when to print ANSI control characters (never|always|auto)")
    String ansi = "auto";

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print usage")
    boolean help;

    private BerthClient client;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Loads the project from the global options and the process environment. */
    Project project() {
        List<Path> f = new ArrayList<>(files);
        String envFiles = System.getenv("COMPOSE_FILE");
        if (f.isEmpty() && envFiles != null && !envFiles.isBlank()) {
            for (String p : envFiles.split(System.getenv().getOrDefault("COMPOSE_PATH_SEPARATOR", ":"))) {
                f.add(Path.of(p));
            }
        }
        Map<String, String> env = System.getenv();
        return new ProjectLoader().load(new LoadOptions(f, projectDirectory, projectName, this.envFiles, profiles, env,
                Path.of("").toAbsolutePath()));
    }

    /**
     * The project, or — when only {@code -p NAME} is given and no compose file exists — an empty
     * model with that name, so that down/ps/logs/stop/... work on a project by name as in Compose.
     */
    Project projectOrName() {
        try {
            return project();
        } catch (dev.berth.common.BerthException e) {
            if (projectName == null || !files.isEmpty() || !e.getMessage().startsWith("no configuration file provided")) {
                throw e;
            }
            Map<String, Object> model = new java.util.LinkedHashMap<>();
            model.put("name", projectName);
            model.put("services", new java.util.LinkedHashMap<String, Object>());
            return new Project(projectName, Path.of("").toAbsolutePath(), List.of(), System.getenv(), model, List.of(), List.of());
        }
    }

    /** The project name alone (for commands that work without a compose file, like down -p x). */
    String projectNameOnly() {
        if (projectName != null && files.isEmpty()) {
            return projectName;
        }
        return project().name();
    }

    synchronized BerthClient client() {
        if (client == null) {
            String host = null;
            CommandSpec root = spec.root();
            if (root != spec) {
                CommandLine.Model.OptionSpec h = root.findOption("--host");
                if (h != null) {
                    host = h.getValue();
                }
            }
            client = BerthClient.connect(host);
        }
        return client;
    }

    boolean color() {
        return switch (ansi) {
            case "never" -> false;
            case "always" -> true;
            default -> System.console() != null && System.getenv("NO_COLOR") == null;
        };
    }

    Progress progress() {
        return new Progress(System.err);
    }

    ComposeEngine engine() {
        return new ComposeEngine(client(), progress(), new SecretFiles(stateDir()));
    }

    ProjectOps ops() {
        return new ProjectOps(client(), progress());
    }

    static Path stateDir() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        return runtime != null ? Path.of(runtime, "berth-compose") : Path.of(System.getProperty("java.io.tmpdir"), "berth-compose-" + System.getProperty("user.name"));
    }

    /** Thrown to end a command with a specific exit code and message. */
    static final class ExitCode extends RuntimeException {
        final int code;

        ExitCode(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    /** Standalone entry point: {@code java -cp … dev.berth.compose.cli.ComposeCommand up -d}. */
    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new ComposeCommand());
        configure(cl);
        return cl.execute(args);
    }

    /** Sets up parsing and error printing; call on the CommandLine that holds this command. */
    public static void configure(CommandLine cl) {
        for (String n : new String[] {"exec", "run"}) {
            if (cl.getSubcommands().containsKey(n)) {
                cl.getSubcommands().get(n).setStopAtPositional(true);
            }
        }
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            if (ex instanceof dev.berth.client.EngineException && !msg.startsWith("Error")) {
                msg = "Error response from daemon: " + msg;
            }
            System.err.println(msg);
            if (System.getenv("BERTH_COMPOSE_DEBUG") != null) {
                ex.printStackTrace();
            }
            return ex instanceof ExitCode ec ? ec.code : 1;
        });
    }
}
