package dev.berth.runtime;

import dev.berth.sys.mount.DeviceNode;
import dev.berth.sys.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Facts about the host that shape a container's spec. Detected once by {@link #detect}; tests
 * construct it directly so golden files do not depend on the machine.
 *
 * @param capBounding the daemon's capability bounding set (privileged gets exactly these)
 * @param kernelRelease e.g. {@code 6.18.44}; decides seccomp minKernel rules and the time namespace
 * @param goArch {@code amd64}, {@code arm64} … (seccomp arch rules)
 * @param timeNamespace the runtime supports the time namespace (crun yes, runc 1.1 no)
 * @param rlimits the daemon's current rlimits, inherited by containers; hard limits are a ceiling
 * @param thermalThrottlePaths the {@code /sys/devices/system/cpu/cpuN/thermal_throttle} paths that exist
 * @param catatonit path of the init binary for {@code --init}, if installed
 * @param blkioWeight the blkio controller accepts a weight (v1 blkio.weight or blkio.bfq.weight, v2 io.weight)
 * @param swapAccounting memory+swap limits are possible (v1 memory.memsw.*)
 * @param devices resolves a host device path
 * @param hostDevices all device nodes under /dev (privileged containers get them)
 */
public record HostInfo(
        long capBounding,
        String kernelRelease,
        String goArch,
        boolean timeNamespace,
        Map<String, ProcFs.Rlimit> rlimits,
        List<String> thermalThrottlePaths,
        Optional<Path> catatonit,
        boolean blkioWeight,
        boolean swapAccounting,
        DeviceLookup devices,
        List<DeviceNode> hostDevices) {

    @FunctionalInterface
    public interface DeviceLookup {
        DeviceNode stat(String path) throws IOException;
    }

    /** Detects this host; {@code runtimeName} is "runc" or "crun". */
    public static HostInfo detect(ProcFs proc, String runtimeName) throws IOException {
        List<String> thermal = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/devices/system/cpu"))) {
            s.filter(p -> p.getFileName().toString().matches("cpu\\d+"))
                    .sorted((a, b) -> Integer.compare(cpuNum(a), cpuNum(b)))
                    .map(p -> p.resolve("thermal_throttle"))
                    .filter(Files::exists)
                    .forEach(p -> thermal.add(p.toString()));
        } catch (IOException e) {
            // no sysfs cpu list
        }
        Optional<Path> init = Stream.of("/usr/bin/catatonit", "/usr/libexec/catatonit/catatonit", "/usr/libexec/podman/catatonit")
                .map(Path::of).filter(Files::isExecutable).findFirst();
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> System.getProperty("os.arch");
        };
        String kernel = proc.kernelRelease();
        // Docker never gives containers a time namespace, and crun 1.8 fails to create one when it
        // runs in the mount namespace of CrunHybridCgroups ("write to sync socket: Broken pipe").
        boolean timeNs = false;
        return new HostInfo(proc.capBounding(), kernel, arch, timeNs, proc.rlimits(), thermal, init,
                blkioWeightSupported(true), Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")),
                p -> DeviceNode.stat(Path.of(p)), listHostDevices(Path.of("/dev")));
    }

    private static int cpuNum(Path p) {
        return Integer.parseInt(p.getFileName().toString().substring(3));
    }

    static boolean blkioWeightSupported() {
        return blkioWeightSupported(true);
    }

    /**
     * @param bfq whether the runtime falls back to BFQ's {@code blkio.bfq.weight} on v1 (runc 1.1
     *     does; crun 1.8 writes {@code blkio.weight} only, so ConmonRuntimeDriver writes the BFQ
     *     file itself for crun, see BfqWeight)
     */
    static boolean blkioWeightSupported(boolean bfq) {
        Path v1 = Path.of("/sys/fs/cgroup/blkio");
        if (Files.isDirectory(v1)) {
            if (Files.exists(v1.resolve("blkio.weight"))) {
                return true;
            }
            // BFQ exposes blkio.bfq.weight only below the root; runc 1.1 falls back to it
            try (Stream<Path> s = Files.list(v1)) {
                return s.anyMatch(p -> Files.exists(p.resolve("blkio.weight")) || bfq && Files.exists(p.resolve("blkio.bfq.weight")));
            } catch (IOException e) {
                return false;
            }
        }
        Path v2 = Path.of("/sys/fs/cgroup/cgroup.controllers");
        try {
            return Files.exists(v2) && Files.readString(v2).contains("io");
        } catch (IOException e) {
            return false;
        }
    }

    /** Device nodes under {@code dev}, skipping the directories runc skips (pts, shm, fd, mqueue). */
    public static List<DeviceNode> listHostDevices(Path dev) {
        List<DeviceNode> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dev)) {
            s.filter(p -> !Files.isDirectory(p) && !Files.isSymbolicLink(p))
                    .filter(p -> {
                        String rel = dev.relativize(p).toString();
                        return !(rel.startsWith("pts/") || rel.startsWith("shm/") || rel.startsWith("fd/")
                                || rel.startsWith("mqueue/") || rel.startsWith(".") || rel.equals("console"));
                    })
                    .sorted()
                    .forEach(p -> {
                        try {
                            out.add(DeviceNode.stat(p));
                        } catch (IOException | RuntimeException e) {
                            // not a device node
                        }
                    });
        } catch (IOException | RuntimeException e) {
            // unreadable /dev
        }
        return out;
    }

    /** {@code release} (e.g. "6.18.44-fc") is at least major.minor. */
    public static boolean kernelAtLeast(String release, int major, int minor) {
        int[] v = parseKernel(release);
        return v[0] > major || (v[0] == major && v[1] >= minor);
    }

    static int[] parseKernel(String release) {
        String[] parts = release.split("[^0-9]+");
        int[] v = new int[3];
        for (int i = 0; i < 3 && i < parts.length; i++) {
            v[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
        }
        return v;
    }

    /** Kernel comparison for seccomp {@code minKernel} ("4.8"). */
    public boolean kernelAtLeast(String min) {
        int[] have = parseKernel(kernelRelease);
        int[] want = parseKernel(min);
        for (int i = 0; i < 3; i++) {
            if (have[i] != want[i]) {
                return have[i] > want[i];
            }
        }
        return true;
    }
}
