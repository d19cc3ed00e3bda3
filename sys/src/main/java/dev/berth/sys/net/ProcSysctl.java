package dev.berth.sys.net;

import dev.berth.common.BerthException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@link Sysctl} on /proc/sys of the caller's namespaces. Stateless and thread-safe. */
public final class ProcSysctl implements Sysctl {
    private final Path root;

    public ProcSysctl() {
        this(Path.of("/proc/sys"));
    }

    /** @param root the directory to treat as /proc/sys (tests) */
    public ProcSysctl(Path root) {
        this.root = root;
    }

    private Path path(String key) {
        return root.resolve(key.replace('.', '/'));
    }

    @Override
    public Optional<String> read(String key) {
        Path p = path(key);
        try {
            return Files.exists(p) ? Optional.of(Files.readString(p).strip()) : Optional.empty();
        } catch (IOException e) {
            throw BerthException.internal("cannot read sysctl " + key, e);
        }
    }

    @Override
    public void write(String key, String value) {
        try {
            Files.writeString(path(key), value);
        } catch (IOException e) {
            throw BerthException.internal("cannot set sysctl " + key + "=" + value, e);
        }
    }
}
