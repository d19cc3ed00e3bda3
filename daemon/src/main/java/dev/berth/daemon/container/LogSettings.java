package dev.berth.daemon.container;

import dev.berth.api.model.HostConfig;
import dev.berth.daemon.logs.LogTarget;
import dev.berth.logger.LogFormat;
import dev.berth.logger.RotationPolicy;
import dev.berth.runtime.RuntimeDriver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The logging of a container: its driver and that driver's options — the container's LogConfig
 * over the daemon's log-opts (only when the container uses the daemon's default driver, as
 * dockerd) over the driver's defaults. Berth's json-file default is bounded (max-size 10m,
 * max-file 3) unlike dockerd's unbounded one, so a chatty container cannot fill the disk; the
 * local driver keeps dockerd's defaults (max-size 20MiB, max-file 5, compress) and dockerd's
 * parsing (decimal sizes: {@code 10k} is 10000 bytes).
 *
 * @param startError why the local driver cannot start with these options (dockerd checks its
 *                   values only when the container starts, and fails the start); null when fine
 * @param opts       the merged options, for the attribute options ({@code labels}, {@code env},
 *                   their {@code -regex} forms)
 */
record LogSettings(String driver, long maxSize, int maxFiles, boolean compress, String startError, Map<String, String> opts) {
    static final String DEFAULT_MAX_SIZE = "10m";
    static final int DEFAULT_MAX_FILE = 3;
    /** dockerd's local driver: 20 MiB (binary, unlike a user's max-size), 5 files, compressed. */
    static final long LOCAL_MAX_SIZE = 20L << 20;
    static final int LOCAL_MAX_FILE = 5;
    /** The shim's spool never rotates below this, so short bursts survive a slow shipper. */
    static final long MIN_SPOOL = 1 << 20;
    private static final List<String> TRUE = List.of("1", "t", "T", "true", "TRUE", "True");
    private static final List<String> FALSE = List.of("0", "f", "F", "false", "FALSE", "False");

    static LogSettings of(HostConfig.LogConfig lc, String daemonDriver, Map<String, String> daemonOpts) {
        String defaultDriver = daemonDriver == null || daemonDriver.isEmpty() ? "json-file" : daemonDriver;
        String driver = lc == null || lc.type() == null || lc.type().isEmpty() ? defaultDriver : lc.type();
        Map<String, String> given = new HashMap<>();
        if (daemonOpts != null && driver.equals(defaultDriver)) {
            given.putAll(daemonOpts);
        }
        if (lc != null && lc.config() != null) {
            given.putAll(lc.config());
        }
        if (driver.equals("local")) {
            return local(given);
        }
        Map<String, String> opts = new HashMap<>();
        opts.put("max-size", DEFAULT_MAX_SIZE);
        opts.put("max-file", Integer.toString(DEFAULT_MAX_FILE));
        opts.putAll(given);
        // go-units FromHumanSize, as dockerd's json-file driver: decimal (10m is 10 000 000 bytes)
        long size;
        try {
            size = fromHumanSize(opts.get("max-size"), "");
        } catch (IllegalArgumentException e) {
            size = 0; // refused at create; a record from before that check rotates never, as before
        }
        int files;
        try {
            files = Integer.parseInt(opts.get("max-file"));
        } catch (NumberFormatException e) {
            files = DEFAULT_MAX_FILE;
        }
        boolean compress = TRUE.contains(opts.getOrDefault("compress", "false"));
        return new LogSettings(driver, Math.max(size, 0), Math.max(files, 1), compress, null, Map.copyOf(opts));
    }

    /** dockerd's local driver config (daemon/logger/local newConfig and validateConfig), with its messages. */
    private static LogSettings local(Map<String, String> opts) {
        long size = LOCAL_MAX_SIZE;
        int files = LOCAL_MAX_FILE;
        boolean compress = true;
        String error = null;
        try {
            if (opts.containsKey("max-size")) {
                String v = opts.get("max-size");
                size = fromHumanSize(v, "invalid value for max-size: " + v + ": ");
            }
            if (opts.containsKey("max-file")) {
                String v = opts.get("max-file");
                try {
                    files = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid value for max-file: " + v + ": strconv.Atoi: parsing " + goQuote(v) + ": invalid syntax");
                }
            }
            if (opts.containsKey("compress")) {
                String v = opts.get("compress");
                if (!TRUE.contains(v) && !FALSE.contains(v)) {
                    throw new IllegalArgumentException("error reading compress log option: strconv.ParseBool: parsing " + goQuote(v) + ": invalid syntax");
                }
                compress = TRUE.contains(v);
            }
            if (files < 0) {
                throw new IllegalArgumentException("max file count cannot be less than 0");
            }
            if (compress && files <= 1) {
                throw new IllegalArgumentException("compression cannot be enabled when max file count is 1");
            }
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        }
        return new LogSettings("local", Math.max(size, 0), Math.max(files, 1), compress, error, Map.copyOf(opts));
    }

    /**
     * go-units FromHumanSize: a decimal size ({@code k} = 1000, {@code KiB} too), optionally with a
     * space before the unit; the error as Go words it after {@code prefix}.
     */
    static long fromHumanSize(String s, String prefix) {
        int sep = -1;
        for (int i = s.length() - 1; i >= 0; i--) {
            if ("0123456789. ".indexOf(s.charAt(i)) >= 0) {
                sep = i;
                break;
            }
        }
        if (sep == -1) {
            throw new IllegalArgumentException(prefix + "invalid size: '" + s + "'");
        }
        String num = s.charAt(sep) == ' ' ? s.substring(0, sep) : s.substring(0, sep + 1);
        String sfx = s.substring(sep + 1);
        double size;
        try {
            if (!num.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                throw new NumberFormatException();
            }
            size = Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix + "strconv.ParseFloat: parsing " + goQuote(num) + ": invalid syntax");
        }
        if (size < 0) {
            throw new IllegalArgumentException(prefix + "invalid size: '" + s + "'");
        }
        if (sfx.isEmpty()) {
            return (long) size;
        }
        String bad = prefix + "invalid suffix: '" + sfx.toLowerCase(java.util.Locale.ROOT) + "'";
        if (sfx.length() > 3) {
            throw new IllegalArgumentException(prefix + "invalid suffix: '" + sfx + "'");
        }
        sfx = sfx.toLowerCase(java.util.Locale.ROOT);
        if (sfx.charAt(0) == 'b') {
            if (sfx.length() > 1) {
                throw new IllegalArgumentException(bad);
            }
            return (long) size;
        }
        int unit = "kmgtp".indexOf(sfx.charAt(0));
        if (unit < 0 || sfx.length() == 2 && sfx.charAt(1) != 'b' || sfx.length() == 3 && !sfx.substring(1).equals("ib")) {
            throw new IllegalArgumentException(bad);
        }
        return (long) (size * Math.pow(1000, unit + 1));
    }

    /** Go's %q of an ASCII string, enough for option values in messages. */
    private static String goQuote(String v) {
        return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    boolean discards() {
        return driver.equals("none");
    }

    /** The file format of the driver; json-file for none (nothing is written then). */
    LogFormat format() {
        LogFormat f = LogFormat.ofDriver(driver);
        return f == null ? LogFormat.JSON_FILE : f;
    }

    /**
     * Where the driver keeps the container's log: json-file at the LogPath recorded when the
     * container was created, local in {@code local-logs/container.log} (dockerd's layout, which
     * dockerd does not show as LogPath).
     */
    java.nio.file.Path logFile(ContainerStore store, ContainerRecord r) {
        return format() == LogFormat.LOCAL ? LogFormat.LOCAL.file(store.dir(r.id), r.id) : java.nio.file.Path.of(r.logPath);
    }

    /** How the log is bounded (values the local driver refuses are clamped here; see {@link #startError}). */
    RotationPolicy rotation() {
        return new RotationPolicy(maxSize, maxFiles, compress);
    }

    /** Where the container's output is spooled and logged, in the format of its driver. */
    LogTarget target(RuntimeDriver driver, ContainerStore store, ContainerRecord r) {
        return new LogTarget(driver, store.outputSpoolPath(r.id), logFile(store, r), format(), rotation(),
                attrs(r.config.labels(), r.config.env()), discards(), startError);
    }

    /**
     * Where the shim starts a new spool file: never below what the log keeps, so output lost to a
     * spool rotation while the daemon is down or behind is output the log would have rotated away
     * anyway. 0 (unbounded) for an unbounded log.
     */
    long spoolMaxSize() {
        return maxSize > 0 ? Math.max(maxSize * maxFiles, MIN_SPOOL) : 0;
    }

    /** The {@code attrs} of every log line: the chosen labels and environment variables, sorted by name as dockerd writes them. */
    Map<String, String> attrs(Map<String, String> labels, List<String> env) {
        Map<String, String> out = new TreeMap<>();
        pick(out, labels == null ? Map.of() : labels, opts.get("labels"), opts.get("labels-regex"));
        Map<String, String> envMap = new HashMap<>();
        for (String kv : env == null ? List.<String>of() : env) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                envMap.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        pick(out, envMap, opts.get("env"), opts.get("env-regex"));
        return out;
    }

    private static void pick(Map<String, String> out, Map<String, String> from, String names, String regex) {
        if (names != null && !names.isEmpty()) {
            for (String n : names.split(",")) {
                String v = from.get(n.strip());
                if (v != null) {
                    out.put(n.strip(), v);
                }
            }
        }
        if (regex != null && !regex.isEmpty()) {
            Pattern p = Pattern.compile(regex);
            from.forEach((k, v) -> {
                if (p.matcher(k).find()) {
                    out.put(k, v);
                }
            });
        }
    }
}
