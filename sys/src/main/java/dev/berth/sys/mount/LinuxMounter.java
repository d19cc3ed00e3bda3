package dev.berth.sys.mount;

import dev.berth.sys.proc.ProcFs;
import dev.berth.sys.unix.Libc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@link Mounter} on mount(2)/umount2(2) via FFM. Needs CAP_SYS_ADMIN. */
public final class LinuxMounter implements Mounter {
    private static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_BIND = 4096, MS_REC = 16384,
            MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21, MS_STRICTATIME = 1 << 24;
    private static final int MNT_DETACH = 2;
    private static final int EINVAL = 22;

    private static final Map<String, Long> SET = Map.ofEntries(
            Map.entry("ro", MS_RDONLY), Map.entry("nosuid", MS_NOSUID), Map.entry("nodev", MS_NODEV),
            Map.entry("noexec", MS_NOEXEC), Map.entry("sync", MS_SYNCHRONOUS), Map.entry("remount", MS_REMOUNT),
            Map.entry("noatime", MS_NOATIME), Map.entry("nodiratime", MS_NODIRATIME), Map.entry("bind", MS_BIND),
            Map.entry("rbind", MS_BIND | MS_REC), Map.entry("relatime", MS_RELATIME), Map.entry("strictatime", MS_STRICTATIME));
    private static final Map<String, Long> PROPAGATION = Map.of(
            "private", MS_PRIVATE, "rprivate", MS_PRIVATE | MS_REC, "slave", MS_SLAVE, "rslave", MS_SLAVE | MS_REC,
            "shared", MS_SHARED, "rshared", MS_SHARED | MS_REC);
    private static final List<String> IGNORED = List.of("rw", "suid", "dev", "exec", "async", "defaults");

    private final ProcFs proc;

    public LinuxMounter(ProcFs proc) {
        this.proc = proc;
    }

    /** Flags and data split out of fstab-style options; exposed for tests. */
    public record Parsed(long flags, long propagation, String data) {}

    public static Parsed parse(List<String> options) {
        long flags = 0;
        long prop = 0;
        List<String> data = new ArrayList<>();
        for (String o : options) {
            if (SET.containsKey(o)) {
                flags |= SET.get(o);
            } else if (PROPAGATION.containsKey(o)) {
                prop |= PROPAGATION.get(o);
            } else if (!IGNORED.contains(o)) {
                data.add(o);
            }
        }
        return new Parsed(flags, prop, data.isEmpty() ? null : String.join(",", data));
    }

    @Override
    public void mount(String type, String source, Path target, List<String> options) throws IOException {
        Parsed p = parse(options);
        String data = p.data();
        if (data != null && data.length() >= 4096) {
            throw new IOException("mount options for " + target + " are " + data.length()
                    + " bytes, more than the kernel's one-page limit (too many image layers?)");
        }
        boolean bind = (p.flags() & MS_BIND) != 0;
        Libc.mount(source, target.toString(), bind ? null : type, p.flags(), bind ? null : data);
        if (bind && (p.flags() & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)) != 0) {
            // a bind mount ignores most flags on creation; they only take effect on a remount
            Libc.mount(null, target.toString(), null, MS_REMOUNT | MS_BIND | (p.flags() & ~MS_REC), null);
        }
        if (p.propagation() != 0) {
            Libc.mount(null, target.toString(), null, p.propagation(), null);
        }
    }

    @Override
    public void unmount(Path target, boolean detach) throws IOException {
        try {
            Libc.umount2(target.toString(), detach ? MNT_DETACH : 0);
        } catch (Libc.Errno e) {
            if (e.errno() == EINVAL || e.errno() == 2) {
                return; // not a mount point / gone
            }
            throw e;
        }
    }

    @Override
    public boolean isMounted(Path target) throws IOException {
        return proc.mountPoints().contains(target.toAbsolutePath().normalize().toString());
    }
}
