package dev.berth.daemon.container;

import dev.berth.api.model.HostConfig;
import dev.berth.logger.RotationPolicy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The logging of a container: its driver and json-file options — the container's LogConfig over
 * the daemon's log-opts (only when the container uses the daemon's default driver, as dockerd)
 * over Berth's default. Berth's default is bounded (max-size 10m, max-file 3) unlike dockerd's
 * unbounded default, so a chatty container cannot fill the disk.
 *
 * @param opts the merged options, for the attribute options ({@code labels}, {@code env}, their
 *             {@code -regex} forms)
 */
record LogSettings(String driver, long maxSize, int maxFiles, boolean compress, Map<String, String> opts) {
    static final String DEFAULT_MAX_SIZE = "10m";
    static final int DEFAULT_MAX_FILE = 3;
    /** The shim's spool never rotates below this, so short bursts survive a slow shipper. */
    static final long MIN_SPOOL = 1 << 20;

    static LogSettings of(HostConfig.LogConfig lc, String daemonDriver, Map<String, String> daemonOpts) {
        String defaultDriver = daemonDriver == null || daemonDriver.isEmpty() ? "json-file" : daemonDriver;
        String driver = lc == null || lc.type() == null || lc.type().isEmpty() ? defaultDriver : lc.type();
        Map<String, String> opts = new HashMap<>();
        opts.put("max-size", DEFAULT_MAX_SIZE);
        opts.put("max-file", Integer.toString(DEFAULT_MAX_FILE));
        if (daemonOpts != null && driver.equals(defaultDriver)) {
            opts.putAll(daemonOpts);
        }
        if (lc != null && lc.config() != null) {
            opts.putAll(lc.config());
        }
        long size = Units.ramInBytes(opts.get("max-size"));
        int files;
        try {
            files = Integer.parseInt(opts.get("max-file"));
        } catch (NumberFormatException e) {
            files = DEFAULT_MAX_FILE;
        }
        boolean compress = List.of("1", "t", "T", "true", "TRUE", "True").contains(opts.getOrDefault("compress", "false"));
        return new LogSettings(driver, Math.max(size, 0), Math.max(files, 1), compress, Map.copyOf(opts));
    }

    boolean discards() {
        return driver.equals("none");
    }

    RotationPolicy rotation() {
        return new RotationPolicy(maxSize, maxFiles, compress);
    }

    /**
     * Where the shim starts a new spool file: never below what the json-file log keeps, so output
     * lost to a spool rotation while the daemon is down or behind is output the log would have
     * rotated away anyway. 0 (unbounded) for an unbounded log.
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
