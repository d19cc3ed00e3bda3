package dev.berth.daemon.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Facts about the host for {@code GET /info} and {@code /version}, read from /proc, /sys and
 * /etc (no processes, no syscalls). Reads are cheap and done on demand. Thread-safe.
 *
 * @param root the file system root to read from ("/" in production; a fixture directory in tests)
 */
public record HostFacts(Path root) {
    public static HostFacts host() {
        return new HostFacts(Path.of("/"));
    }

    public String kernelVersion() {
        return read("proc/sys/kernel/osrelease", "");
    }

    public String hostname() {
        return read("proc/sys/kernel/hostname", "localhost");
    }

    /** PRETTY_NAME from os-release, e.g. "Debian GNU/Linux 12 (bookworm)". */
    public String operatingSystem() {
        return osRelease("PRETTY_NAME", "Linux");
    }

    public String osVersion() {
        return osRelease("VERSION_ID", "");
    }

    private String osRelease(String key, String dflt) {
        for (String f : List.of("etc/os-release", "usr/lib/os-release")) {
            try {
                for (String line : Files.readAllLines(root.resolve(f))) {
                    if (line.startsWith(key + "=")) {
                        String v = line.substring(key.length() + 1).trim();
                        if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
                            v = v.substring(1, v.length() - 1);
                        }
                        return v;
                    }
                }
            } catch (IOException e) {
                // try the next location
            }
        }
        return dflt;
    }

    /** Bytes of RAM from MemTotal in /proc/meminfo. */
    public long memTotal() {
        try {
            for (String line : Files.readAllLines(root.resolve("proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return 0;
    }

    /** "2" when /sys/fs/cgroup is the unified hierarchy, else "1" (hybrid or legacy). */
    public String cgroupVersion() {
        return Files.exists(root.resolve("sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
    }

    public boolean ipv4Forwarding() {
        return read("proc/sys/net/ipv4/ip_forward", "0").equals("1");
    }

    /** Open file descriptors of this process. */
    public int openFds() {
        try (var s = Files.list(root.resolve("proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    public int cpus() {
        return Runtime.getRuntime().availableProcessors();
    }

    private String read(String rel, String dflt) {
        try {
            return Files.readString(root.resolve(rel)).trim();
        } catch (IOException e) {
            return dflt;
        }
    }
}
