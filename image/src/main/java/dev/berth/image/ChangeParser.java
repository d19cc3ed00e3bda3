package dev.berth.image;

import dev.berth.common.BerthException;
import dev.berth.common.ShellWords;
import dev.berth.common.Json;
import dev.berth.oci.image.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies {@code docker import/commit --change} instructions (a Dockerfile subset) to an image's
 * container config: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL,
 * ONBUILD, HEALTHCHECK, SHELL. Errors are INVALID_ARGUMENT with Docker's wording. Pure, thread-safe.
 */
public final class ChangeParser {
    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private ChangeParser() {}

    /** Returns {@code base} with {@code changes} applied in order. */
    public static ContainerConfig apply(ContainerConfig base, List<String> changes) {
        ConfigBuilder b = ConfigBuilder.from(base);
        boolean cmdSet = false;
        for (String raw : changes == null ? List.<String>of() : changes) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int sp = indexOfSpace(line);
            String instr = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
            String rest = sp < 0 ? "" : line.substring(sp).strip();
            switch (instr) {
                case "CMD" -> {
                    b.cmd = command(rest, b.shell);
                    cmdSet = true;
                }
                case "ENTRYPOINT" -> {
                    b.entrypoint = command(rest, b.shell);
                    if (!cmdSet) {
                        b.cmd = null; // as the builder does: a new ENTRYPOINT drops an inherited CMD
                    }
                }
                case "ENV" -> pairs(instr, rest).forEach(b::setEnv);
                case "LABEL" -> {
                    if (b.labels == null) {
                        b.labels = new LinkedHashMap<>();
                    }
                    b.labels.putAll(pairs(instr, rest));
                }
                case "EXPOSE" -> {
                    if (b.exposedPorts == null) {
                        b.exposedPorts = new LinkedHashMap<>();
                    }
                    for (String p : words(rest)) {
                        for (String port : ports(p)) {
                            b.exposedPorts.put(port, Map.of());
                        }
                    }
                }
                case "USER" -> b.user = required(instr, rest);
                case "WORKDIR" -> {
                    String w = required(instr, rest);
                    b.workingDir = w.startsWith("/") || b.workingDir == null ? normalizeDir(w) : normalizeDir(b.workingDir + "/" + w);
                }
                case "STOPSIGNAL" -> b.stopSignal = required(instr, rest);
                case "VOLUME" -> {
                    if (b.volumes == null) {
                        b.volumes = new LinkedHashMap<>();
                    }
                    List<String> vols = rest.startsWith("[") ? jsonArray(rest) : words(rest);
                    if (vols.isEmpty()) {
                        throw BerthException.invalid("VOLUME requires at least one argument");
                    }
                    for (String v : vols) {
                        if (v.isBlank()) {
                            throw BerthException.invalid("VOLUME specified can not be an empty string");
                        }
                        b.volumes.put(v, Map.of());
                    }
                }
                case "ONBUILD" -> {
                    String inner = required(instr, rest);
                    String first = inner.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
                    if (first.equals("ONBUILD")) {
                        throw BerthException.invalid("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                    }
                    if (first.equals("FROM") || first.equals("MAINTAINER")) {
                        throw BerthException.invalid("%s isn't allowed as an ONBUILD trigger", first);
                    }
                    if (b.onBuild == null) {
                        b.onBuild = new ArrayList<>();
                    }
                    int s = indexOfSpace(inner);
                    b.onBuild.add(first + (s < 0 ? "" : inner.substring(s)));
                }
                case "HEALTHCHECK" -> b.healthcheck = healthcheck(rest, b.shell);
                case "SHELL" -> {
                    if (!rest.startsWith("[")) {
                        throw BerthException.invalid("SHELL requires the arguments to be in JSON form");
                    }
                    List<String> sh = jsonArray(rest);
                    if (sh.isEmpty()) {
                        throw BerthException.invalid("SHELL requires at least one argument");
                    }
                    b.shell = sh;
                }
                default -> throw BerthException.invalid("%s is not a valid change command", instr.isEmpty() ? raw : instr);
            }
        }
        return b.build();
    }

    private static int indexOfSpace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String required(String instr, String rest) {
        if (rest.isEmpty()) {
            throw BerthException.invalid("%s requires exactly one argument", instr);
        }
        return rest;
    }

    /** Exec form (JSON array) or shell form ({@code shell + [rest]}). */
    static List<String> command(String rest, List<String> shell) {
        if (rest.startsWith("[")) {
            List<String> j = tryJsonArray(rest);
            if (j != null) {
                return j;
            }
        }
        List<String> out = new ArrayList<>(shell == null ? DEFAULT_SHELL : shell);
        out.add(rest);
        return out;
    }

    private static List<String> jsonArray(String s) {
        List<String> j = tryJsonArray(s);
        if (j == null) {
            throw BerthException.invalid("invalid JSON array: %s", s);
        }
        return j;
    }

    private static List<String> tryJsonArray(String s) {
        try {
            var node = Json.mapper().readTree(s);
            if (!node.isArray()) {
                return null;
            }
            List<String> out = new ArrayList<>();
            for (var n : node) {
                if (!n.isString()) {
                    return null;
                }
                out.add(n.asString());
            }
            return out;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** ENV/LABEL arguments: {@code k=v k2="v 2"} or the legacy {@code k value with spaces}. */
    static Map<String, String> pairs(String instr, String rest) {
        List<String> w = words(rest);
        if (w.isEmpty()) {
            throw BerthException.invalid("%s requires at least one argument", instr);
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (!rawFirstWord(rest).contains("=")) {
            int sp = indexOfSpace(rest);
            if (sp < 0) {
                throw BerthException.invalid("%s must have two arguments", instr);
            }
            out.put(w.getFirst(), unquote(rest.substring(sp).strip()));
            return out;
        }
        for (String word : w) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw BerthException.invalid("Syntax error - can't find = in \"%s\". Must be of the form: name=value", word);
            }
            out.put(word.substring(0, eq), word.substring(eq + 1));
        }
        return out;
    }

    private static String rawFirstWord(String s) {
        int sp = indexOfSpace(s);
        return sp < 0 ? s : s.substring(0, sp);
    }

    private static String unquote(String s) {
        return ShellWords.unquote(s);
    }

    /** Splits on unquoted whitespace, removing quotes and backslash escapes as the shell lexer does. */
    static List<String> words(String s) {
        return ShellWords.split(s);
    }

    /** {@code 80} → {@code 80/tcp}; {@code 8000-8001/udp} expands. */
    static List<String> ports(String spec) {
        String proto = "tcp";
        String p = spec;
        int slash = spec.indexOf('/');
        if (slash >= 0) {
            proto = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
            p = spec.substring(0, slash);
        }
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw BerthException.invalid("invalid proto: %s", proto);
        }
        try {
            int dash = p.indexOf('-');
            int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1));
            if (lo < 0 || hi > 65535 || hi < lo) {
                throw new NumberFormatException();
            }
            List<String> out = new ArrayList<>();
            for (int i = lo; i <= hi; i++) {
                out.add(i + "/" + proto);
            }
            return out;
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid containerPort: %s", p);
        }
    }

    private static String normalizeDir(String w) {
        String s = w.replaceAll("/+", "/");
        return s.length() > 1 && s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static ContainerConfig.HealthConfig healthcheck(String rest, List<String> shell) {
        long interval = 0;
        long timeout = 0;
        long startPeriod = 0;
        long startInterval = 0;
        int retries = 0;
        String r = rest;
        while (r.startsWith("--")) {
            int sp = indexOfSpace(r);
            String flag = sp < 0 ? r : r.substring(0, sp);
            r = sp < 0 ? "" : r.substring(sp).strip();
            int eq = flag.indexOf('=');
            if (eq < 0) {
                throw BerthException.invalid("missing a value on flag: %s", flag);
            }
            String name = flag.substring(2, eq);
            String val = flag.substring(eq + 1);
            switch (name) {
                case "interval" -> interval = duration(name, val);
                case "timeout" -> timeout = duration(name, val);
                case "start-period" -> startPeriod = duration(name, val);
                case "start-interval" -> startInterval = duration(name, val);
                case "retries" -> {
                    try {
                        retries = Integer.parseInt(val);
                    } catch (NumberFormatException e) {
                        throw BerthException.invalid("invalid value for --retries: %s", val);
                    }
                    if (retries < 0) {
                        throw BerthException.invalid("--retries cannot be negative (%d)", retries);
                    }
                }
                default -> throw BerthException.invalid("Unknown flag: %s", name);
            }
        }
        int sp = indexOfSpace(r);
        String kind = (sp < 0 ? r : r.substring(0, sp)).toUpperCase(Locale.ROOT);
        String args = sp < 0 ? "" : r.substring(sp).strip();
        switch (kind) {
            case "NONE" -> {
                if (!args.isEmpty()) {
                    throw BerthException.invalid("HEALTHCHECK NONE takes no arguments");
                }
                return new ContainerConfig.HealthConfig(List.of("NONE"), 0, 0, 0, 0, 0);
            }
            case "CMD" -> {
                if (args.isEmpty()) {
                    throw BerthException.invalid("Missing command after HEALTHCHECK CMD");
                }
                List<String> test = new ArrayList<>();
                List<String> exec = args.startsWith("[") ? tryJsonArray(args) : null;
                if (exec != null) {
                    test.add("CMD");
                    test.addAll(exec);
                } else {
                    test.add("CMD-SHELL");
                    test.add(args);
                }
                return new ContainerConfig.HealthConfig(test, interval, timeout, startPeriod, startInterval, retries);
            }
            default -> throw BerthException.invalid("Unknown type \"%s\" in HEALTHCHECK (try CMD)", kind);
        }
    }

    private static long duration(String flag, String val) {
        long ns = GoDuration.parseNanos(val);
        if (ns != 0 && ns < 1_000_000L) {
            throw BerthException.invalid("Interval %q cannot be less than 1ms".replace("%q", flag));
        }
        if (ns < 0) {
            throw BerthException.invalid("Interval %s cannot be negative", flag);
        }
        return ns;
    }
}
