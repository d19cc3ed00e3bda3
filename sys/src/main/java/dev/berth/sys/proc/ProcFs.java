package dev.berth.sys.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads host facts from /proc: capability sets, resource limits, kernel version, CPU time,
 * process liveness. The root is injectable so tests read a fixture tree. Thread-safe.
 */
public final class ProcFs {
    private final Path proc;

    public ProcFs(Path procRoot) {
        this.proc = procRoot;
    }

    public static ProcFs host() {
        return new ProcFs(Path.of("/proc"));
    }

    /** The bounding capability set of this process (CapBnd in /proc/self/status) as a bit mask. */
    public long capBounding() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("self/status"))) {
            if (line.startsWith("CapBnd:")) {
                return Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        throw new IOException("no CapBnd in " + proc.resolve("self/status"));
    }

    /** A resource limit; {@code -1} stands for unlimited (RLIM_INFINITY). */
    public record Rlimit(String name, long soft, long hard) {}

    private static final Map<String, String> LIMIT_NAMES = Map.ofEntries(
            Map.entry("Max cpu time", "RLIMIT_CPU"),
            Map.entry("Max file size", "RLIMIT_FSIZE"),
            Map.entry("Max data size", "RLIMIT_DATA"),
            Map.entry("Max stack size", "RLIMIT_STACK"),
            Map.entry("Max core file size", "RLIMIT_CORE"),
            Map.entry("Max resident set", "RLIMIT_RSS"),
            Map.entry("Max processes", "RLIMIT_NPROC"),
            Map.entry("Max open files", "RLIMIT_NOFILE"),
            Map.entry("Max locked memory", "RLIMIT_MEMLOCK"),
            Map.entry("Max address space", "RLIMIT_AS"),
            Map.entry("Max file locks", "RLIMIT_LOCKS"),
            Map.entry("Max pending signals", "RLIMIT_SIGPENDING"),
            Map.entry("Max msgqueue size", "RLIMIT_MSGQUEUE"),
            Map.entry("Max nice priority", "RLIMIT_NICE"),
            Map.entry("Max realtime priority", "RLIMIT_RTPRIO"),
            Map.entry("Max realtime timeout", "RLIMIT_RTTIME"));

    /** This process' rlimits from /proc/self/limits, keyed by OCI name (RLIMIT_NOFILE …), in file order. */
    public Map<String, Rlimit> rlimits() throws IOException {
        Map<String, Rlimit> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(proc.resolve("self/limits"))) {
            if (line.length() < 26 || line.startsWith("Limit")) {
                continue;
            }
            String label = line.substring(0, 26).trim();
            String name = LIMIT_NAMES.get(label);
            if (name == null) {
                continue;
            }
            String[] f = line.substring(26).trim().split("\\s+");
            out.put(name, new Rlimit(name, parseLimit(f[0]), parseLimit(f[1])));
        }
        return out;
    }

    private static long parseLimit(String s) {
        return s.equals("unlimited") ? -1 : Long.parseLong(s);
    }

    /** The running kernel's release, e.g. {@code 6.18.44-fc}. */
    public String kernelRelease() throws IOException {
        return Files.readString(proc.resolve("sys/kernel/osrelease")).trim();
    }

    /** Total CPU time of the host in nanoseconds (sum of the "cpu" line of /proc/stat, USER_HZ = 100). */
    public long systemCpuNanos() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("stat"))) {
            if (line.startsWith("cpu ")) {
                long ticks = 0;
                String[] f = line.trim().split("\\s+");
                // user nice system idle iowait irq softirq steal, as Docker sums them
                for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                    ticks += Long.parseLong(f[i]);
                }
                return ticks * 10_000_000L;
            }
        }
        throw new IOException("no cpu line in /proc/stat");
    }

    public int onlineCpus() throws IOException {
        int n = 0;
        for (String line : Files.readAllLines(proc.resolve("stat"))) {
            if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                n++;
            }
        }
        return n;
    }

    /** Total host memory in bytes (MemTotal of /proc/meminfo). */
    public long memTotal() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.substring(9).trim().split("\\s+")[0]) * 1024;
            }
        }
        throw new IOException("no MemTotal in /proc/meminfo");
    }

    /** True if the process exists and is not a zombie. */
    public boolean alive(int pid) {
        if (pid <= 0) {
            return false;
        }
        try {
            String stat = Files.readString(proc.resolve(pid + "/stat"));
            int rp = stat.lastIndexOf(')');
            char state = stat.charAt(rp + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The argv of a process (empty if gone). */
    public List<String> cmdline(int pid) {
        try {
            byte[] b = Files.readAllBytes(proc.resolve(pid + "/cmdline"));
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    out.add(new String(b, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The mount a path lives on and its propagation (the optional fields of mountinfo). */
    public record MountPropagation(String mountPoint, boolean shared, boolean slave) {}

    /**
     * The mount that holds {@code path} (the longest mount point that contains it, the last one
     * mounted there winning) and whether it is shared and/or a slave; empty if none matches.
     */
    public java.util.Optional<MountPropagation> propagationOf(Path path) throws IOException {
        String p = path.toAbsolutePath().normalize().toString();
        MountPropagation best = null;
        for (String line : Files.readAllLines(proc.resolve("self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length < 7) {
                continue;
            }
            String mp = f[4].replace("\\040", " ");
            boolean contains = p.equals(mp) || mp.equals("/") || p.startsWith(mp + "/");
            if (!contains || best != null && best.mountPoint().length() > mp.length()) {
                continue;
            }
            boolean shared = false;
            boolean slave = false;
            for (int i = 6; i < f.length && !f[i].equals("-"); i++) {
                shared |= f[i].startsWith("shared:");
                slave |= f[i].startsWith("master:");
            }
            best = new MountPropagation(mp, shared, slave);
        }
        return java.util.Optional.ofNullable(best);
    }

    /** Mount points (second field of /proc/self/mountinfo... the fifth, target) currently mounted. */
    public List<String> mountPoints() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(proc.resolve("self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                out.add(f[4].replace("\\040", " "));
            }
        }
        return out;
    }
}
