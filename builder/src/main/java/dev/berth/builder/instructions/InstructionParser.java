package dev.berth.builder.instructions;

import dev.berth.builder.instructions.Flags.Type;
import dev.berth.builder.instructions.Instruction.ArgDecl;
import dev.berth.builder.instructions.Instruction.CommandLine;
import dev.berth.builder.instructions.Instruction.KeyValue;
import dev.berth.builder.instructions.Instruction.Origin;
import dev.berth.builder.parse.DockerfileParseException;
import dev.berth.builder.parse.DockerfileParser;
import dev.berth.builder.parse.Node;
import dev.berth.builder.parse.Suggest;
import dev.berth.builder.parse.Words;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns {@link Node}s into typed {@link Instruction}s, checking arity and flags with Docker's
 * messages. Stateless and thread-safe.
 */
public final class InstructionParser {
    static final List<String> NAMES = List.of("add", "arg", "cmd", "copy", "entrypoint", "env", "expose",
            "from", "healthcheck", "label", "maintainer", "onbuild", "run", "shell", "stopsignal", "user",
            "volume", "workdir");
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final long MIN_HEALTH_DURATION = 1_000_000L;

    public Dockerfile parse(String text) {
        DockerfileParser.Result r = new DockerfileParser().parse(text);
        List<Instruction> out = new ArrayList<>();
        for (Node node : r.nodes()) {
            out.add(instruction(node, r.directives().escape()));
        }
        return new Dockerfile(r.directives(), out);
    }

    /** Parses one node; errors carry the node's line. */
    public Instruction instruction(Node node, char escape) {
        try {
            return dispatch(node, escape);
        } catch (IllegalArgumentException e) {
            throw new DockerfileParseException(node.startLine(), e.getMessage());
        }
    }

    private Instruction dispatch(Node node, char escape) {
        Origin o = new Origin(node.original(), node.startLine(), node.endLine());
        String rest = node.rest().strip();
        String cmd = node.command();
        String upper = cmd.toUpperCase(Locale.ROOT);
        return switch (cmd) {
            case "from" -> {
                Flags f = flags(node).declare("platform", Type.STRING).parse(node.flags());
                List<String> args = Words.fields(rest);
                String name = null;
                if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
                    name = args.get(2).toLowerCase(Locale.ROOT);
                    if (!STAGE_NAME.matcher(name).matches()) {
                        throw new IllegalArgumentException("invalid name for build stage: \"" + args.get(2)
                                + "\", name can't start with a number or contain symbols");
                    }
                } else if (args.size() != 1) {
                    throw new IllegalArgumentException("FROM requires either one or three arguments");
                }
                yield new Instruction.From(o, args.getFirst(), name, f.string("platform"));
            }
            case "run" -> {
                Flags f = flags(node).declare("mount", Type.ARRAY).declare("network", Type.STRING)
                        .declare("security", Type.STRING).declare("device", Type.ARRAY).parse(node.flags());
                CommandLine c = commandLine(rest);
                if (c.args().isEmpty() || !c.execForm() && c.args().getFirst().isBlank()) {
                    throw new IllegalArgumentException("RUN requires at least one argument");
                }
                yield new Instruction.Run(o, c, f.array("mount"), f.string("network"), f.string("security"),
                        f.used(), node.heredocs());
            }
            case "cmd" -> {
                flags(node).parse(node.flags());
                yield new Instruction.Cmd(o, commandLine(rest));
            }
            case "entrypoint" -> {
                flags(node).parse(node.flags());
                yield new Instruction.Entrypoint(o, commandLine(rest));
            }
            case "shell" -> {
                flags(node).parse(node.flags());
                List<String> json = JsonArray.parse(rest);
                if (json == null) {
                    throw new IllegalArgumentException("SHELL requires the arguments to be in JSON form");
                }
                if (json.isEmpty()) {
                    throw new IllegalArgumentException("SHELL requires at least one argument");
                }
                yield new Instruction.Shell(o, json);
            }
            case "label" -> {
                flags(node).parse(node.flags());
                yield new Instruction.Label(o, nameValues(rest, "LABEL", escape));
            }
            case "env" -> {
                flags(node).parse(node.flags());
                yield new Instruction.Env(o, nameValues(rest, "ENV", escape));
            }
            case "maintainer" -> new Instruction.Maintainer(o, exactlyOne(node, rest, upper));
            case "user" -> new Instruction.User(o, exactlyOne(node, rest, upper));
            case "workdir" -> new Instruction.Workdir(o, exactlyOne(node, rest, upper));
            case "stopsignal" -> new Instruction.StopSignal(o, exactlyOne(node, rest, upper));
            case "expose" -> {
                flags(node).parse(node.flags());
                List<String> ports = Words.fields(rest);
                if (ports.isEmpty()) {
                    throw new IllegalArgumentException("EXPOSE requires at least one argument");
                }
                yield new Instruction.Expose(o, ports);
            }
            case "volume" -> {
                flags(node).parse(node.flags());
                List<String> vols = jsonOrFields(rest);
                if (vols.isEmpty()) {
                    throw new IllegalArgumentException("VOLUME requires at least one argument");
                }
                yield new Instruction.Volume(o, vols);
            }
            case "arg" -> {
                flags(node).parse(node.flags());
                List<String> words = Words.split(rest, escape);
                if (words.isEmpty()) {
                    throw new IllegalArgumentException("ARG requires at least one argument");
                }
                List<ArgDecl> decls = new ArrayList<>();
                for (String w : words) {
                    int eq = w.indexOf('=');
                    if (eq == 0) {
                        throw new IllegalArgumentException("ARG names can not be blank");
                    }
                    decls.add(eq < 0 ? new ArgDecl(w, null) : new ArgDecl(w.substring(0, eq), w.substring(eq + 1)));
                }
                yield new Instruction.Arg(o, decls);
            }
            case "copy" -> {
                Flags f = flags(node).declare("from", Type.STRING).declare("chown", Type.STRING)
                        .declare("chmod", Type.STRING).declare("link", Type.BOOL).declare("parents", Type.BOOL)
                        .declare("exclude", Type.ARRAY).parse(node.flags());
                List<String> args = sourcesAndDest(rest, "COPY");
                yield new Instruction.Copy(o, args.subList(0, args.size() - 1), args.getLast(), f.string("from"),
                        f.string("chown"), f.string("chmod"), f.bool("link"), f.bool("parents"), f.array("exclude"),
                        node.heredocs(), f.used());
            }
            case "add" -> {
                Flags f = flags(node).declare("chown", Type.STRING).declare("chmod", Type.STRING)
                        .declare("link", Type.BOOL).declare("checksum", Type.STRING)
                        .declare("keep-git-dir", Type.BOOL).declare("unpack", Type.BOOL)
                        .declare("exclude", Type.ARRAY).parse(node.flags());
                List<String> args = sourcesAndDest(rest, "ADD");
                yield new Instruction.Add(o, args.subList(0, args.size() - 1), args.getLast(), f.string("chown"),
                        f.string("chmod"), f.bool("link"), f.string("checksum"), f.bool("keep-git-dir"),
                        f.boolOrNull("unpack"), f.array("exclude"), node.heredocs(), f.used());
            }
            case "onbuild" -> {
                flags(node).parse(node.flags());
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("ONBUILD requires at least one argument");
                }
                String[] split = rest.split("\\s+", 2);
                String trig = split[0].toUpperCase(Locale.ROOT);
                switch (trig) {
                    case "ONBUILD" -> throw new IllegalArgumentException(
                            "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                    case "MAINTAINER", "FROM" -> throw new IllegalArgumentException(
                            trig + " isn't allowed as an ONBUILD trigger");
                    default -> { }
                }
                String childRest = split.length > 1 ? split[1] : "";
                Words.FlagsAndRest fr = Words.extractFlags(childRest);
                Node child = new Node(split[0], fr.flags(), fr.rest(), rest, List.of(), node.startLine(),
                        node.endLine());
                yield new Instruction.Onbuild(o, dispatch(child, escape), rest);
            }
            case "healthcheck" -> healthcheck(node, o, rest);
            default -> {
                String suggestion = Suggest.closest(cmd, NAMES);
                String msg = "unknown instruction: " + node.keyword().toUpperCase(Locale.ROOT);
                if (suggestion != null) {
                    msg += " (did you mean " + suggestion.toUpperCase(Locale.ROOT) + "?)";
                }
                throw new IllegalArgumentException(msg);
            }
        };
    }

    private static Flags flags(Node node) {
        return new Flags();
    }

    private static String exactlyOne(Node node, String rest, String name) {
        new Flags().parse(node.flags());
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(name + " requires exactly one argument");
        }
        return rest;
    }

    /** Exec form when the text is a JSON string array, else the shell form (one element). */
    static CommandLine commandLine(String rest) {
        List<String> json = JsonArray.parse(rest);
        if (json != null) {
            return new CommandLine(json, true);
        }
        return rest.isEmpty() ? new CommandLine(List.of(), false) : new CommandLine(List.of(rest), false);
    }

    private static List<String> jsonOrFields(String rest) {
        List<String> json = JsonArray.parse(rest);
        return json != null ? json : Words.fields(rest);
    }

    private static List<String> sourcesAndDest(String rest, String name) {
        List<String> args = jsonOrFields(rest);
        if (args.isEmpty()) {
            throw new IllegalArgumentException(name + " requires at least two arguments");
        }
        if (args.size() == 1) {
            throw new IllegalArgumentException(name + " requires at least two arguments, but only one was provided."
                    + " Destination could not be determined.");
        }
        return args;
    }

    /** ENV/LABEL: {@code k=v k2="v 2"} or the legacy {@code k value with spaces}. */
    private static List<KeyValue> nameValues(String rest, String name, char escape) {
        List<String> words = Words.split(rest, escape);
        if (words.isEmpty()) {
            throw new IllegalArgumentException(name + " requires at least one argument");
        }
        List<KeyValue> out = new ArrayList<>();
        if (!words.getFirst().contains("=")) {
            String[] parts = rest.split("\\s+", 2);
            if (parts.length < 2) {
                throw new IllegalArgumentException(name + " must have two arguments");
            }
            out.add(new KeyValue(parts[0], parts[1]));
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(
                        "Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
            }
            if (eq == 0) {
                throw new IllegalArgumentException(name + " names can not be blank");
            }
            out.add(new KeyValue(w.substring(0, eq), w.substring(eq + 1)));
        }
        return out;
    }

    private static Instruction healthcheck(Node node, Origin o, String rest) {
        Flags f = new Flags().declare("interval", Type.STRING).declare("timeout", Type.STRING)
                .declare("start-period", Type.STRING).declare("start-interval", Type.STRING)
                .declare("retries", Type.STRING).parse(node.flags());
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("HEALTHCHECK requires at least one argument");
        }
        String[] split = rest.split("\\s+", 2);
        String typ = split[0].toUpperCase(Locale.ROOT);
        String args = split.length > 1 ? split[1] : "";
        if (typ.equals("NONE")) {
            if (!args.isBlank()) {
                throw new IllegalArgumentException("HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(o, List.of("NONE"), 0, 0, 0, 0, 0);
        }
        if (!typ.equals("CMD")) {
            throw new IllegalArgumentException("Unknown type \"" + typ + "\" in HEALTHCHECK (try CMD)");
        }
        CommandLine c = commandLine(args);
        if (c.args().isEmpty()) {
            throw new IllegalArgumentException("Missing command after HEALTHCHECK CMD");
        }
        List<String> test = new ArrayList<>();
        test.add(c.execForm() ? "CMD" : "CMD-SHELL");
        test.addAll(c.args());
        int retries = 0;
        String r = f.string("retries");
        if (r != null && !r.isEmpty()) {
            try {
                retries = Integer.parseInt(r);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("strconv.ParseInt: parsing \"" + r + "\": invalid syntax");
            }
            if (retries < 1) {
                throw new IllegalArgumentException("--retries must be at least 1 (not " + retries + ")");
            }
        }
        return new Instruction.Healthcheck(o, test, interval(f, "interval"), interval(f, "timeout"),
                interval(f, "start-period"), interval(f, "start-interval"), retries);
    }

    private static long interval(Flags f, String name) {
        String v = f.string(name);
        if (v == null || v.isEmpty()) {
            return 0;
        }
        long d = GoDuration.parse(v);
        if (d == 0) {
            return 0;
        }
        if (d < MIN_HEALTH_DURATION) {
            throw new IllegalArgumentException("Interval \"" + name + "\" cannot be less than 1ms");
        }
        return d;
    }
}
