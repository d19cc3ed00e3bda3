package dev.berth.runtime;

import dev.berth.common.Json;
import dev.berth.sys.proc.CommandResult;
import dev.berth.sys.proc.ProcessLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Chooses the OCI runtime: probes each candidate (crun first, then runc) by running a trivial
 * container (a rootfs holding only a static busybox, {@code /bin/true}) and keeps the first that
 * works. crun 1.8 refuses hybrid cgroup hosts unless run through {@link CrunHybridCgroups}. Results are cached per instance.
 * Needs root; thread-safe.
 */
public final class RuntimeDetector {
    /** A runtime that passed the probe. */
    public record Choice(String name, Path binary) {}

    private final ProcessLauncher launcher;
    private final Path workDir;
    private final Path busybox;
    private final Map<String, Boolean> cache = new LinkedHashMap<>();

    /**
     * @param workDir scratch directory for probe bundles (removed after each probe)
     * @param busybox a static busybox binary, e.g. /bin/busybox
     */
    public RuntimeDetector(ProcessLauncher launcher, Path workDir, Path busybox) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.busybox = busybox;
    }

    /** The preferred working runtime among {@code candidates} (name → binary), in order. */
    public synchronized Optional<Choice> choose(Map<String, Path> candidates) {
        for (Map.Entry<String, Path> c : candidates.entrySet()) {
            if (Files.isExecutable(c.getValue()) && cache.computeIfAbsent(c.getKey(), k -> probe(wrapped(c.getKey(), c.getValue())))) {
                return Optional.of(new Choice(c.getKey(), c.getValue()));
            }
        }
        return Optional.empty();
    }

    /** The binary as the driver will call it (crun on hybrid cgroup hosts goes through {@link CrunHybridCgroups}). */
    private Path wrapped(String name, Path binary) {
        try {
            return CrunHybridCgroups.wrap(binary, name, workDir);
        } catch (IOException e) {
            return binary;
        }
    }

    /** crun then runc from their usual locations. */
    public Optional<Choice> chooseDefault() {
        Map<String, Path> m = new LinkedHashMap<>();
        find("crun").ifPresent(p -> m.put("crun", p));
        find("runc").ifPresent(p -> m.put("runc", p));
        return choose(m);
    }

    private static Optional<Path> find(String name) {
        return Stream.of("/usr/bin/", "/usr/sbin/", "/usr/local/bin/", "/usr/local/sbin/", "/bin/", "/sbin/")
                .map(d -> Path.of(d + name)).filter(Files::isExecutable).findFirst();
    }

    /** Runs {@code /bin/true} in a throw-away container; true if it exits 0. */
    boolean probe(Path runtime) {
        String id = "btprobe-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path dir = workDir.resolve(id);
        try {
            Path rootfs = dir.resolve("rootfs");
            Files.createDirectories(rootfs.resolve("bin"));
            // crun (unlike runc) expects the mount points to exist in the rootfs
            Files.createDirectories(rootfs.resolve("dev"));
            Files.createDirectories(rootfs.resolve("proc"));
            Files.copy(busybox, rootfs.resolve("bin/true"), StandardCopyOption.COPY_ATTRIBUTES);
            ObjectNode spec = Json.mapper().createObjectNode();
            spec.put("ociVersion", "1.0.2-dev");
            ObjectNode process = spec.putObject("process");
            process.putObject("user").put("uid", 0).put("gid", 0);
            process.putArray("args").add("/bin/true");
            process.putArray("env").add("PATH=/bin");
            process.put("cwd", "/");
            spec.putObject("root").put("path", rootfs.toString());
            ArrayNode mounts = spec.putArray("mounts");
            mounts.addObject().put("destination", "/proc").put("type", "proc").put("source", "proc");
            ObjectNode linux = spec.putObject("linux");
            linux.put("cgroupsPath", "/berth/" + id);
            ArrayNode ns = linux.putArray("namespaces");
            for (String t : List.of("pid", "mount", "ipc", "uts", "network")) {
                ns.addObject().put("type", t);
            }
            Files.write(dir.resolve("config.json"), Json.mapper().writeValueAsBytes(spec));
            List<String> argv = new ArrayList<>(List.of(runtime.toString(), "--root", dir.resolve("state").toString(),
                    "run", "--bundle", dir.toString(), id));
            CommandResult r = launcher.run(argv, Duration.ofSeconds(30));
            launcher.run(List.of(runtime.toString(), "--root", dir.resolve("state").toString(), "delete", "--force", id), Duration.ofSeconds(10));
            return r.ok();
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            dev.berth.sys.cgroup.Cgroups.host().remove("/berth/" + id);
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // scratch leftovers
        }
    }
}
