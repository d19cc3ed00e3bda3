package dev.berth.cli;

import dev.berth.client.EngineException;
import dev.berth.common.BerthException;
import picocli.CommandLine;

/**
 * Entry point of {@code berth}. Maps failures to docker's messages and exit codes: usage errors
 * 125, engine errors "Error response from daemon: …" (125 for run/create, 1 otherwise), no stack
 * trace unless {@code --debug}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("__aot-training")) {
            Training.run();
            return;
        }
        Integer fast = FastPath.tryRun(args);
        System.exit(fast != null ? fast : execute(args));
    }

    static int execute(String... args) {
        CommandLine cl = new CommandLine(new Berth());
        String name = commandName(args);
        if (name != null && Berth.COMMANDS.containsKey(name)) {
            cl.addSubcommand(name, Berth.COMMANDS.get(name));
        } else if (name != null && Groups.GROUPS.containsKey(name)) {
            cl.addSubcommand(name, Groups.group(name));
        } else {
            addAll(cl);
        }
        configure(cl);
        cl.setUnmatchedOptionsArePositionalParams(false);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> failure(ex, line));
        return cl.execute(args);
    }

    /** Registers every command and group (help, completion). */
    private static void addAll(CommandLine cl) {
        Berth.COMMANDS.forEach(cl::addSubcommand);
        Groups.GROUPS.keySet().forEach(g -> cl.addSubcommand(g, Groups.group(g)));
    }

    private static void configure(CommandLine cl) {
        for (String n : new String[] {"run", "create", "exec", "registry"}) {
            if (cl.getSubcommands().containsKey(n)) {
                cl.getSubcommands().get(n).setStopAtPositional(true);
            }
        }
        if (cl.getSubcommands().containsKey("compose")) {
            dev.berth.compose.cli.ComposeCommand.configure(cl.getSubcommands().get("compose"));
        }
    }

    /** The whole command tree, for shell completion. */
    static CommandLine fullCommandLine() {
        CommandLine cl = new CommandLine(new Berth());
        addAll(cl);
        configure(cl);
        return cl;
    }

    /** The first argument that is not a global option: the subcommand's name. */
    static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-H") || a.equals("--host")) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
    }

    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String path = qualifiedName(cmd);
        String msg = ex.getMessage();
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().getFirst();
            if (arg.startsWith("--")) {
                msg = "unknown flag: " + arg.split("=", 2)[0];
            } else if (arg.startsWith("-")) {
                msg = "unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg;
            } else if (cmd.getParent() == null) {
                System.err.println("berth: unknown command: berth " + arg);
                System.err.println();
                System.err.println("Run 'berth --help' for more information");
                return 1;
            } else {
                msg = "\"" + path + "\" accepts no arguments.";
            }
        } else if (ex instanceof CommandLine.MissingParameterException) {
            System.err.println("berth: '" + path + "' requires at least 1 argument");
            System.err.println();
            System.err.println("See '" + path + " --help' for more information");
            return 1;
        }
        System.err.println(msg);
        System.err.println();
        System.err.println("Run '" + path + " --help' for more information");
        return 125;
    }

    private static String qualifiedName(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName(" ");
    }

    private static int failure(Exception ex, CommandLine line) {
        Object cmd = line.getCommand();
        Berth root = (Berth) line.getCommandSpec().root().userObject();
        if (root.debug) {
            ex.printStackTrace();
        }
        if (ex instanceof Exit e) {
            return e.code;
        }
        if (cmd instanceof BaseCommand base && ex instanceof BerthException be) {
            if (base.runStyleErrors()) {
                System.err.println("berth: " + describe(be));
                System.err.println();
                System.err.println("Run '" + qualifiedName(line) + " --help' for more information");
            } else {
                System.err.println(describe(be));
            }
            return base.daemonErrorExit();
        }
        if (ex instanceof BerthException be) {
            System.err.println(describe(be));
            return 1;
        }
        System.err.println("berth: " + ex);
        return 1;
    }

    /** The text docker prints for an error: engine replies get "Error response from daemon: ". */
    static String describe(BerthException e) {
        return e instanceof EngineException ? "Error response from daemon: " + e.getMessage() : e.getMessage();
    }

    /** Thrown to end a command with a given exit code after it printed its own message. */
    static final class Exit extends RuntimeException {
        final int code;

        Exit(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }
}
