package dev.berth.daemon.container;

import dev.berth.api.model.ContainerTop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code docker top} without spawning ps: reads {@code /proc/<pid>/{stat,status,cmdline}} and
 * formats ps -ef's columns (UID PID PPID C STIME TTY TIME CMD). Other ps options are not
 * interpreted; the default columns are returned. Reads only; thread-safe.
 */
final class ProcTop {
    static final List<String> TITLES = List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
    private static final int HZ = 100;
    private final Path proc;

    ProcTop(Path proc) {
        this.proc = proc;
    }

    ContainerTop top(List<Integer> pids) {
        Map<Long, String> users = users();
        long bootTime = bootTime();
        double uptime = uptime();
        List<List<String>> rows = new ArrayList<>();
        for (int pid : pids) {
            try {
                rows.add(row(pid, users, bootTime, uptime));
            } catch (IOException | RuntimeException e) {
                // the process exited meanwhile
            }
        }
        return new ContainerTop(TITLES, rows);
    }

    List<String> row(int pid, Map<Long, String> users, long bootTime, double uptime) throws IOException {
        Path dir = proc.resolve(Integer.toString(pid));
        String stat = Files.readString(dir.resolve("stat"));
        int rp = stat.lastIndexOf(')');
        String comm = stat.substring(stat.indexOf('(') + 1, rp);
        String[] f = stat.substring(rp + 2).split(" ");
        // f[0] is field 3 (state)
        long ppid = Long.parseLong(f[1]);
        long ttyNr = Long.parseLong(f[4]);
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        long start = Long.parseLong(f[19]);
        long uid = 0;
        for (String line : Files.readAllLines(dir.resolve("status"))) {
            if (line.startsWith("Uid:")) {
                uid = Long.parseLong(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        byte[] cmdBytes = Files.readAllBytes(dir.resolve("cmdline"));
        String cmd = new String(cmdBytes, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        if (cmd.isEmpty()) {
            cmd = "[" + comm + "]";
        }
        long cpuTicks = utime + stime;
        double elapsed = uptime - (double) start / HZ;
        long c = elapsed > 0 ? (long) ((cpuTicks / (double) HZ) / elapsed * 100) : 0;
        Instant startedAt = Instant.ofEpochSecond(bootTime + start / HZ);
        return List.of(users.getOrDefault(uid, Long.toString(uid)), Integer.toString(pid), Long.toString(ppid), Long.toString(c),
                stime(startedAt), tty(ttyNr), cpuTime(cpuTicks / HZ), cmd);
    }

    static String stime(Instant t) {
        ZoneId z = ZoneId.systemDefault();
        if (t.atZone(z).toLocalDate().equals(LocalDate.now(z))) {
            return DateTimeFormatter.ofPattern("HH:mm").withZone(z).format(t);
        }
        return DateTimeFormatter.ofPattern("MMMdd", Locale.ENGLISH).withZone(z).format(t);
    }

    static String tty(long ttyNr) {
        if (ttyNr == 0) {
            return "?";
        }
        long major = (ttyNr >> 8) & 0xfff;
        long minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
        if (major >= 136 && major <= 143) {
            return "pts/" + ((major - 136) * 256 + minor);
        }
        if (major == 4) {
            return "tty" + minor;
        }
        return "?";
    }

    static String cpuTime(long seconds) {
        long d = seconds / 86400;
        long h = seconds / 3600 % 24;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        String hms = String.format("%02d:%02d:%02d", h, m, s);
        return d > 0 ? d + "-" + hms : hms;
    }

    private Map<Long, String> users() {
        Map<Long, String> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] p = line.split(":");
                if (p.length > 2) {
                    try {
                        m.putIfAbsent(Long.parseLong(p[2]), p[0]);
                    } catch (NumberFormatException ignored) {
                        // malformed line
                    }
                }
            }
        } catch (IOException ignored) {
            // numeric uids then
        }
        return m;
    }

    private long bootTime() {
        try {
            for (String line : Files.readAllLines(proc.resolve("stat"))) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return 0;
    }

    private double uptime() {
        try {
            return Double.parseDouble(Files.readString(proc.resolve("uptime")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
