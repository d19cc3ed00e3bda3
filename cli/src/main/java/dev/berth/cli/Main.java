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
        for (String n : new String[] {"run", "create", "exec", "registry", "top"}) {
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
            if (a.equals("-H") || a.equals("--host") || a.equals("--tlscacert") || a.equals("--tlscert")
                    || a.equals("--tlskey")) {
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
            } else if (cmd.getCommandSpec().positionalParameters().isEmpty()) {
                msg = "\"" + path + "\" accepts no arguments.";
                System.err.println("berth: " + msg);
                System.err.println();
                System.err.println("Usage:  " + usageLine(cmd));
                System.err.println();
                System.err.println("Run '" + path + " --help' for more information");
                return 1;
            }
        } else if (ex instanceof CommandLine.MissingParameterException && unknownOption(cmd, args) != null) {
            String arg = unknownOption(cmd, args);
            msg = arg.startsWith("--") ? "unknown flag: " + arg.split("=", 2)[0]
                    : "unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg;
        } else if (ex instanceof CommandLine.MissingParameterException) {
            int min = 0;
            int max = 0;
            for (var p : cmd.getCommandSpec().positionalParameters()) {
                min += p.arity().min();
                max = p.arity().isUnresolved() || p.arity().max() == Integer.MAX_VALUE || max == Integer.MAX_VALUE
                        ? Integer.MAX_VALUE : max + p.arity().max();
            }
            String need = min == max ? "requires " + min + " argument" + (min == 1 ? "" : "s")
                    : max == Integer.MAX_VALUE ? "requires at least " + min + " argument" + (min == 1 ? "" : "s")
                    : "requires at least " + min + " and at most " + max + " arguments";
            System.err.println("berth: '" + path + "' " + need);
            System.err.println();
            System.err.println("Usage:  " + usageLine(cmd));
            System.err.println();
            System.err.println((max == Integer.MAX_VALUE && min != max ? "See '" : "Run '") + path + " --help' for more information");
            return 1;
        }
        System.err.println(msg);
        System.err.println();
        System.err.println("Usage:  " + usageLine(cmd));
        System.err.println();
        System.err.println("Run '" + path + " --help' for more information");
        return 125;
    }

    /** The first option in {@code args} that {@code cmd} does not know (docker checks flags before arguments). */
    private static String unknownOption(CommandLine cmd, String[] args) {
        var spec = cmd.getCommandSpec();
        for (String a : args) {
            if (a.equals("--")) {
                return null;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                continue;
            }
            if (a.startsWith("--")) {
                String n = a.split("=", 2)[0];
                if (spec.findOption(n) == null && spec.root().findOption(n) == null) {
                    return a;
                }
            } else {
                for (int i = 1; i < a.length(); i++) {
                    var o = spec.findOption(a.charAt(i));
                    if (o == null && spec.root().findOption(a.charAt(i)) == null) {
                        return "-" + a.substring(i);
                    }
                    if (o != null && o.arity().min() > 0) {
                        break; // the rest is the option's value
                    }
                }
            }
        }
        return null;
    }

    /** docker's one-line usage: {@code berth rm [OPTIONS] CONTAINER [CONTAINER...]}. */
    static String usageLine(CommandLine cmd) {
        String path = qualifiedName(cmd);
        if (cmd.getCommandSpec().userObject() instanceof CpCmd) {
            return path + " [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\t" + path + " [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH";
        }
        StringBuilder sb = new StringBuilder(path);
        boolean options = cmd.getCommandSpec().options().stream()
                .anyMatch(o -> !o.usageHelp() && !o.longestName().equals("--help"));
        if (!cmd.getSubcommands().isEmpty()) {
            return sb.append(" COMMAND").toString();
        }
        if (options) {
            sb.append(" [OPTIONS]");
        }
        for (var p : cmd.getCommandSpec().positionalParameters()) {
            String label = p.paramLabel();
            boolean many = p.arity().max() > 1 || p.arity().isVariable();
            String one = many ? label + " [" + label + "...]" : label;
            if (p.arity().min() == 0) {
                one = "[" + (many ? label + "..." : label) + "]";
            }
            if (label.equals("COMMAND") && p.isMultiValue()) {
                one = p.arity().min() == 0 ? "[COMMAND] [ARG...]" : "COMMAND [ARG...]";
            }
            sb.append(' ').append(one);
        }
        return sb.toString();
    }

    /** The command path as typed (a group's "ls" stays "ls", not the class's own name). */
    private static String qualifiedName(CommandLine cmd) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine c = cmd; c != null; c = c.getParent()) {
            String name = c.getCommandName();
            if (c.getParent() != null) {
                for (var e : c.getParent().getSubcommands().entrySet()) {
                    if (e.getValue() == c) {
                        name = e.getKey();
                        break;
                    }
                }
            }
            sb.insert(0, c.getParent() == null ? "berth" : " " + name);
        }
        return sb.toString();
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
