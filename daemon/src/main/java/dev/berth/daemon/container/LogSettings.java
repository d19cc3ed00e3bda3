package dev.berth.daemon.container;

import dev.berth.api.model.HostConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * The json-file log bounds of a container: the container's LogConfig options over the daemon's
 * log-opts over Berth's default. Berth's default is bounded (max-size 10m, max-file 3) unlike
 * dockerd's unbounded default, so a chatty container cannot fill the disk.
 */
record LogSettings(String driver, long maxSize, int maxFiles) {
    static final String DEFAULT_MAX_SIZE = "10m";
    static final int DEFAULT_MAX_FILE = 3;

    static LogSettings of(HostConfig.LogConfig lc, Map<String, String> daemonOpts) {
        Map<String, String> opts = new HashMap<>();
        opts.put("max-size", DEFAULT_MAX_SIZE);
        opts.put("max-file", Integer.toString(DEFAULT_MAX_FILE));
        if (daemonOpts != null) {
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
        String driver = lc == null || lc.type() == null || lc.type().isEmpty() ? "json-file" : lc.type();
        return new LogSettings(driver, Math.max(size, 0), Math.max(files, 1));
    }
}
