package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import dev.berth.common.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Owns the layout of {@code <data-root>/containers}: one directory per container holding
 * {@code config.v2.json} (the {@link ContainerRecord}), {@code hostname}, {@code hosts},
 * {@code resolv.conf} and the log file {@code <id>-json.log}. Every write is temp file, fsync,
 * atomic rename, so a crash leaves either the old or the new file. Thread-safe (callers hold the
 * container's lock for a given id).
 */
public final class ContainerStore {
    static final String CONFIG = "config.v2.json";
    private final Path root;

    public ContainerStore(Path dataRoot) {
        this.root = dataRoot.resolve("containers");
    }

    public Path root() {
        return root;
    }

    public Path dir(String id) {
        return root.resolve(id);
    }

    public Path logPath(String id) {
        return dir(id).resolve(id + "-json.log");
    }

    /** The shim's output spool (conmon's k8s-file), shipped into {@link #logPath} by the daemon. */
    public Path outputSpoolPath(String id) {
        return dir(id).resolve("output.spool");
    }

    public Path hostnamePath(String id) {
        return dir(id).resolve("hostname");
    }

    public Path hostsPath(String id) {
        return dir(id).resolve("hosts");
    }

    public Path resolvConfPath(String id) {
        return dir(id).resolve("resolv.conf");
    }

    /** Creates the container directory (mode 0710 semantics are not needed: root-only data root). */
    public void createDir(String id) {
        try {
            Files.createDirectories(dir(id));
        } catch (IOException e) {
            throw BerthException.internal("cannot create container directory: " + e.getMessage(), e);
        }
    }

    public void save(ContainerRecord rec) {
        try {
            byte[] json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(rec);
            writeAtomic(dir(rec.id).resolve(CONFIG), json);
        } catch (IOException e) {
            throw BerthException.internal("cannot save container " + rec.id + ": " + e.getMessage(), e);
        }
    }

    /** Writes one of the container's small files (hostname, hosts, resolv.conf) atomically. */
    public void writeFile(Path path, String content) {
        try {
            writeAtomic(path, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw BerthException.internal("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    /** All stored records; directories without a readable config are skipped (half-created). */
    public List<ContainerRecord> loadAll() {
        List<ContainerRecord> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                Path cfg = d.resolve(CONFIG);
                if (!Files.isRegularFile(cfg)) {
                    continue;
                }
                try {
                    out.add(Json.mapper().readValue(Files.readAllBytes(cfg), ContainerRecord.class));
                } catch (RuntimeException | IOException e) {
                    System.getLogger("berth.container").log(System.Logger.Level.WARNING, "skipping unreadable container " + d + ": " + e);
                }
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot list containers: " + e.getMessage(), e);
        }
        return out;
    }

    /** Removes the container directory recursively; absent is fine. */
    public void delete(String id) {
        deleteTree(dir(id));
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        } catch (IOException e) {
            throw BerthException.internal("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }

    static void writeAtomic(Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(data));
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
