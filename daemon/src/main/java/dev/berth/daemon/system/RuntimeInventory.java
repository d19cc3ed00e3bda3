package dev.berth.daemon.system;

import dev.berth.sys.proc.CommandResult;
import dev.berth.sys.proc.ProcessLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which OCI runtimes and shim binaries exist on this host and their versions, for
 * {@code /info} and {@code /version}. Paths are found on {@code PATH}; versions are asked once
 * ({@code <bin> --version}) and cached, so the first caller pays a few milliseconds. Thread-safe.
 */
public final class RuntimeInventory {
    private final ProcessLauncher launcher;
    private final List<String> searchPath;
    private final Map<String, Optional<String>> versions = new ConcurrentHashMap<>();

    public RuntimeInventory(ProcessLauncher launcher) {
        this(launcher, List.of(System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(":")));
    }

    public RuntimeInventory(ProcessLauncher launcher, List<String> searchPath) {
        this.launcher = launcher;
        this.searchPath = searchPath;
    }

    public Optional<Path> find(String binary) {
        for (String dir : searchPath) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, binary);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Installed OCI runtimes (runc, crun) → path. */
    public Map<String, Path> runtimes() {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String r : List.of("runc", "crun")) {
            find(r).ifPresent(p -> out.put(r, p));
        }
        return out;
    }

    /** The version number a binary reports, e.g. "1.1.5" for runc, "2.1.6" for conmon. */
    public Optional<String> version(String binary) {
        return versions.computeIfAbsent(binary, b -> find(b).flatMap(this::probe));
    }

    /** Runs {@code --version} and returns the first version-looking token, plus commit when shown. */
    private Optional<String> probe(Path bin) {
        try {
            CommandResult r = launcher.run(List.of(bin.toString(), "--version"), Duration.ofSeconds(3));
            if (!r.ok()) {
                return Optional.empty();
            }
            return parseVersion(r.stdout());
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static Optional<String> parseVersion(String out) {
        for (String line : out.split("\n")) {
            for (String tok : line.trim().split("\\s+")) {
                if (tok.matches("v?\\d+\\.\\d+(\\.\\d+)?([-+.\\w]*)?")) {
                    return Optional.of(tok.startsWith("v") ? tok.substring(1) : tok);
                }
            }
        }
        return Optional.empty();
    }
}
