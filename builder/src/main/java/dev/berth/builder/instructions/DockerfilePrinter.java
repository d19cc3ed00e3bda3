package dev.berth.builder.instructions;

import dev.berth.builder.parse.Heredoc;
import java.util.List;

/**
 * Prints parsed instructions back as Dockerfile text that parses to the same instructions (used
 * by the parse-print-parse property tests and handy for tools that rewrite Dockerfiles). Values
 * that the parser keeps raw (ENV/LABEL values, ARG defaults, shell-form command lines) are printed
 * as they are; lists whose words contain white space use the JSON form. Flags are printed in a
 * fixed order, so the output is canonical rather than a copy of the original layout. Stateless and
 * thread-safe.
 */
public final class DockerfilePrinter {
    private DockerfilePrinter() {}

    /** The whole file: directives (only a non-default escape char is kept), then one instruction per line. */
    public static String print(Dockerfile file) {
        StringBuilder sb = new StringBuilder();
        if (file.directives() != null && file.directives().escape() != '\\') {
            sb.append("# escape=").append(file.directives().escape()).append('\n');
        }
        for (Instruction i : file.instructions()) {
            sb.append(print(i)).append('\n');
        }
        return sb.toString();
    }

    /** One instruction, including the bodies of its here-documents (without the final newline). */
    public static String print(Instruction instruction) {
        return switch (instruction) {
            case Instruction.From f -> "FROM " + flag("platform", f.platform()) + f.image()
                    + (f.stageName() == null ? "" : " AS " + f.stageName());
            case Instruction.Run r -> {
                StringBuilder sb = new StringBuilder("RUN ");
                for (String m : r.mounts()) {
                    sb.append(flag("mount", m));
                }
                sb.append(flag("network", r.network())).append(flag("security", r.security()));
                sb.append(command(r.command()));
                yield sb + heredocs(r.heredocs());
            }
            case Instruction.Cmd c -> "CMD " + command(c.command());
            case Instruction.Entrypoint e -> "ENTRYPOINT " + command(e.command());
            case Instruction.Shell s -> "SHELL " + json(s.shell());
            case Instruction.Label l -> "LABEL " + pairs(l.labels());
            case Instruction.Env e -> "ENV " + pairs(e.vars());
            case Instruction.Maintainer m -> "MAINTAINER " + m.maintainer();
            case Instruction.Expose e -> "EXPOSE " + String.join(" ", e.ports());
            case Instruction.Volume v -> "VOLUME " + words(v.volumes());
            case Instruction.User u -> "USER " + u.user();
            case Instruction.Workdir w -> "WORKDIR " + w.path();
            case Instruction.StopSignal s -> "STOPSIGNAL " + s.signal();
            case Instruction.Onbuild o -> "ONBUILD " + o.expression();
            case Instruction.Arg a -> "ARG " + String.join(" ", a.args().stream().map(Instruction.ArgDecl::toString).toList());
            case Instruction.Copy c -> {
                StringBuilder sb = new StringBuilder("COPY ");
                sb.append(flag("from", c.from())).append(flag("chown", c.chown())).append(flag("chmod", c.chmod()));
                if (c.link()) {
                    sb.append("--link ");
                }
                if (c.parents()) {
                    sb.append("--parents ");
                }
                for (String x : c.excludes()) {
                    sb.append(flag("exclude", x));
                }
                yield sb + paths(c.sources(), c.dest()) + heredocs(c.heredocs());
            }
            case Instruction.Add a -> {
                StringBuilder sb = new StringBuilder("ADD ");
                sb.append(flag("chown", a.chown())).append(flag("chmod", a.chmod()));
                if (a.link()) {
                    sb.append("--link ");
                }
                sb.append(flag("checksum", a.checksum()));
                if (a.keepGitDir()) {
                    sb.append("--keep-git-dir ");
                }
                if (a.unpack() != null) {
                    sb.append("--unpack=").append(a.unpack()).append(' ');
                }
                for (String x : a.excludes()) {
                    sb.append(flag("exclude", x));
                }
                yield sb + paths(a.sources(), a.dest()) + heredocs(a.heredocs());
            }
            case Instruction.Healthcheck h -> {
                if (h.none()) {
                    yield "HEALTHCHECK NONE";
                }
                StringBuilder sb = new StringBuilder("HEALTHCHECK ");
                duration(sb, "interval", h.interval());
                duration(sb, "timeout", h.timeout());
                duration(sb, "start-period", h.startPeriod());
                duration(sb, "start-interval", h.startInterval());
                if (h.retries() != 0) {
                    sb.append("--retries=").append(h.retries()).append(' ');
                }
                List<String> test = h.test();
                sb.append("CMD ").append(test.getFirst().equals("CMD-SHELL") ? test.get(1) : json(test.subList(1, test.size())));
                yield sb.toString();
            }
        };
    }

    private static void duration(StringBuilder sb, String name, long nanos) {
        if (nanos != 0) {
            sb.append("--").append(name).append('=').append(GoDuration.format(nanos)).append(' ');
        }
    }

    private static String flag(String name, String value) {
        return value == null ? "" : "--" + name + "=" + value + " ";
    }

    private static String command(Instruction.CommandLine c) {
        return c.execForm() ? json(c.args()) : c.args().getFirst();
    }

    private static String pairs(List<Instruction.KeyValue> kvs) {
        if (kvs.size() == 1 && !kvs.getFirst().value().isEmpty()
                && kvs.getFirst().value().chars().anyMatch(Character::isWhitespace)) {
            // a lone pair whose raw value has bare white space came from the legacy "KEY value words" form
            return kvs.getFirst().key() + " " + kvs.getFirst().value();
        }
        return String.join(" ", kvs.stream().map(kv -> kv.key() + "=" + kv.value()).toList());
    }

    private static String paths(List<String> sources, String dest) {
        List<String> all = new java.util.ArrayList<>(sources);
        all.add(dest);
        boolean heredoc = sources.stream().anyMatch(s -> s.startsWith("<<"));
        return heredoc ? String.join(" ", all) : words(all);
    }

    /** Space-separated words, or the JSON form when a word would not survive splitting. */
    private static String words(List<String> words) {
        // an escape character (either spelling) could join the next line or escape a neighbour
        boolean plain = words.stream().noneMatch(w -> w.isEmpty()
                || w.chars().anyMatch(ch -> ch <= ' ' || ch == '"' || ch == '\\' || ch == '`')
                || w.startsWith("["));
        return plain ? String.join(" ", words) : json(words);
    }

    private static String heredocs(List<Heredoc> docs) {
        StringBuilder sb = new StringBuilder();
        for (Heredoc h : docs) {
            sb.append('\n').append(h.content()).append(h.name());
        }
        return sb.toString();
    }

    /** A JSON array of strings, escaped as Go's encoding/json would for the characters that matter. */
    static String json(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('"');
            for (char ch : values.get(i).toCharArray()) {
                switch (ch) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    case '\r' -> sb.append("\\r");
                    default -> {
                        if (ch < 0x20) {
                            sb.append(String.format("\\u%04x", (int) ch));
                        } else {
                            sb.append(ch);
                        }
                    }
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }
}
